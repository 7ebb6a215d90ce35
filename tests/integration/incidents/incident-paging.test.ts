/**
 * Paging through real BullMQ timers and a local PagerDuty Events v2 server: repeats notify again, 429 and 5xx are
 * retried, a recovery before the next level stops paging, and a bot restart between two pages keeps the next one.
 */
import { describe, expect, it } from 'vitest';
import { openIncidentFor } from '../../../src/core/index.ts';
import { type Harness, startHarness } from '../../helpers/engine-harness.ts';
import { useEngineSuite } from '../../helpers/engine-suite.ts';
import { useFakeMonitoring } from '../../helpers/fake-monitoring-suite.ts';
import {
  deployLive,
  eventually,
  incidentNotes,
  incidentRunbook,
  incidents,
} from '../../helpers/incident-world.ts';

const suite = useEngineSuite();
const monitoring = useFakeMonitoring();

/** Ann declares an incident on svc (trigger `manual`); its id. */
async function declare(h: Harness): Promise<string> {
  const opened = await openIncidentFor(h.preflight.engine, {
    service: 'svc',
    title: 'checkout answers 500',
    trigger: 'manual',
    openedBy: 'ann',
  });
  if (!opened.ok) throw opened.error;
  return opened.incident.id;
}

async function world() {
  const fake = await monitoring.start({ up: '1', errors: '0.01' });
  const config = {
    PROMETHEUS_URL: fake.url,
    ALERTMANAGER_URL: fake.url,
    PAGERDUTY_ROUTING_KEY: 'e93facc04764012d7bfb002500d5d1a6',
    PAGERDUTY_EVENTS_URL: `${fake.url}/v2/enqueue`,
  };
  return { fake, config, runbook: incidentRunbook(fake.url) };
}

describe('PagerDuty', () => {
  it('each page and each repeat is a new alert; 429 and 5xx are retried; ack and resolve reach every alert', async () => {
    const { fake, config, runbook } = await world();
    fake.pagerduty.replies.push(429, 503);
    const h = await suite.start({ runbook, config });
    const id = await declare(h);
    const triggers = () => fake.pagerduty.received.filter((e) => e.event_action === 'trigger');
    await eventually(
      async () => triggers(),
      (t) => t.length >= 4,
      30_000,
      'four PagerDuty triggers',
    );
    // L1's page is retried on its own job (429, then 503): the ladder does not wait for it, so L2 may come first.
    await eventually(
      async () => triggers().map((e) => e.dedup_key),
      (keys) => keys.includes(`preflight/${id}/L1`),
      30_000,
      'the L1 page, retried',
    );
    expect(new Set(triggers().map((e) => e.dedup_key))).toEqual(
      new Set([
        `preflight/${id}/L1`,
        `preflight/${id}/L2`,
        `preflight/${id}/L2/repeat-1`,
        `preflight/${id}/L2/repeat-2`,
        ...triggers()
          .map((e) => e.dedup_key)
          .filter((k) => /repeat-[3-9]/.test(k)),
      ]),
    );
    const first = triggers().find((e) => e.dedup_key === `preflight/${id}/L1`);
    expect(first).toMatchObject({
      routing_key: 'e93facc04764012d7bfb002500d5d1a6',
      event_action: 'trigger',
      payload: { severity: 'critical', source: 'preflight/svc' },
    });
    expect(first?.payload?.summary).toBe('[L1] svc production: checkout answers 500');
    expect(first?.payload?.custom_details).toMatchObject({
      incident: id,
      escalation_level: 'L1',
      repeat: 0,
      notify: ['ann'],
      pagerduty_users: ['PANN'],
    });
    // L2 names the group "lead": PagerDuty is told the PagerDuty ids of the people in it.
    expect(
      triggers().find((e) => e.dedup_key === `preflight/${id}/L2`)?.payload?.custom_details,
    ).toMatchObject({ escalation_level: 'L2', notify: ['lead'], pagerduty_users: ['PCAT'] });
    expect(triggers().find((e) => e.dedup_key === `preflight/${id}/L2/repeat-1`)?.payload?.summary).toBe(
      '[L2 again 1] svc production: checkout answers 500',
    );
    expect(h.logs.join('')).toMatch(/PagerDuty did not take the event/);
    // The thread says PagerDuty failed, and that it took the page in the end: "paged" is not taken on trust.
    const notes = incidentNotes(h, id).join('\n');
    expect(notes).toContain('⚠️ PagerDuty did not take the L1 page (HTTP 429); Preflight keeps trying.');
    await eventually(
      async () => incidentNotes(h, id).join('\n'),
      (text) => text.includes('✅ PagerDuty took the L1 page after all.'),
      10_000,
      'the note that L1 went through',
    );

    const acked = await h.preflight.chat.dispatcher.command({
      platform: 'console',
      userId: 'cat',
      channel: '#incident',
      text: `/ack ${id}`,
    });
    expect(acked?.visibility).toBe('ephemeral');
    const sent = new Set((await h.preflight.engine.incidents.get(id))?.pages.map((p) => p.repeat) ?? []);
    const acks = await eventually(
      async () => fake.pagerduty.received.filter((e) => e.event_action === 'acknowledge'),
      (a) => a.length >= sent.size + 1,
      20_000,
      'an acknowledge for every alert',
    );
    expect(new Set(acks.map((a) => a.dedup_key))).toEqual(new Set(triggers().map((t) => t.dedup_key)));
    expect(acks[0]).toEqual({
      routing_key: 'e93facc04764012d7bfb002500d5d1a6',
      dedup_key: `preflight/${id}/L1`,
      event_action: 'acknowledge',
    });
    expect(incidentNotes(h, id)).toContain(`👀 @{cat} acknowledged ${id}; paging stops.`);
    await h.preflight.chat.dispatcher.command({
      platform: 'console',
      userId: 'ann',
      channel: '#incident',
      text: `/incident resolve ${id} fixed upstream`,
    });
    await eventually(
      async () => fake.pagerduty.received.filter((e) => e.event_action === 'resolve'),
      (r) => r.length === acks.length,
      20_000,
      'a resolve for every alert',
    );
    expect(incidentNotes(h, id)).toContain(`✅ @{ann} resolved ${id}: fixed upstream`);
  });
});

describe('a PagerDuty outage', () => {
  it('holds up neither the ladder nor the thread; Retry-After is waited out; the page goes once PagerDuty is back', async () => {
    const { fake, config, runbook } = await world();
    fake.pagerduty.replies.push(429, ...Array<number>(200).fill(500));
    const h = await suite.start({ runbook, config });
    const id = await declare(h);
    // L1 answers nothing within 3 s: L2 is paged in chat on time though PagerDuty takes nothing.
    await eventually(
      async () => (await h.preflight.engine.incidents.get(id))?.pages.map((p) => p.levelId) ?? [],
      (levels) => levels.includes('L2'),
      10_000,
      'the L2 page while PagerDuty is down',
    );
    expect(fake.pagerduty.received).toEqual([]);
    expect(incidentNotes(h, id).join('\n')).toContain(
      '⚠️ PagerDuty did not take the L1 page (HTTP 429); Preflight keeps trying.',
    );
    const l1 = fake.pagerduty.tries.filter((t) => t.dedupKey === `preflight/${id}/L1`);
    expect(l1.length).toBeGreaterThanOrEqual(2);
    // The 429 said Retry-After: 2.
    expect((l1[1]?.at ?? 0) - (l1[0]?.at ?? 0)).toBeGreaterThanOrEqual(1_900);

    fake.pagerduty.replies.length = 0;
    await eventually(
      async () => fake.pagerduty.received.map((e) => e.dedup_key),
      (keys) => keys.includes(`preflight/${id}/L1`) && keys.includes(`preflight/${id}/L2`),
      30_000,
      'L1 and L2 at PagerDuty once it is back',
    );
  });
});

describe('a page PagerDuty throttles once', () => {
  it('goes after the Retry-After, and the thread says it went', async () => {
    const { fake, config, runbook } = await world();
    fake.pagerduty.replies.push(429);
    const h = await suite.start({ runbook, config });
    const id = await declare(h);
    await eventually(
      async () => incidentNotes(h, id).join('\n'),
      (text) => text.includes('✅ PagerDuty took the L1 page after all.'),
      15_000,
      'the note that L1 went through after the wait',
    );
    const l1 = fake.pagerduty.tries.filter((t) => t.dedupKey === `preflight/${id}/L1`);
    expect(l1.map((t) => t.status)).toEqual([429, 202]);
  });
});

describe('a runbook that pages through PagerDuty without PAGERDUTY_ROUTING_KEY', () => {
  it('says once in the thread that only chat is used, however many pages follow', async () => {
    const { config, runbook } = await world();
    const { PAGERDUTY_ROUTING_KEY: _key, PAGERDUTY_EVENTS_URL: _url, ...withoutPagerDuty } = config;
    const h = await suite.start({ runbook, config: withoutPagerDuty });
    const id = await declare(h);
    await eventually(
      async () => incidentNotes(h, id).join('\n'),
      (text) =>
        text.includes('PAGERDUTY_ROUTING_KEY is not set: the people paged are only mentioned in chat'),
      10_000,
      'the note that PagerDuty is not set up',
    );
    // L2 is paged too: the note asked for again is the same message (one key), so the thread shows it once.
    await eventually(
      async () => (await h.preflight.engine.incidents.get(id))?.pages.map((p) => p.level) ?? [],
      (levels) => levels.includes(1),
      15_000,
      'the L2 page',
    );
    // The L2 page is recorded before its note is delivered: the note is waited for, not read at once.
    const keys = await eventually(
      async () =>
        h.incidentDeliveries
          .filter((d) => d.incidentId === id && d.effect.topic.kind === 'note')
          .map((d) => d.effect.topic as { key: string; text: string })
          .filter((t) => t.text.includes('PAGERDUTY_ROUTING_KEY'))
          .map((t) => t.key),
      (found) => found.length > 1,
      15_000,
      'the note asked for again with the L2 page',
    );
    expect(new Set(keys).size).toBe(1);
  });
});

describe('re-check before each escalation step', () => {
  it('health recovered before L2: a "cleared" post and no L2; failing again, L2 is paged after all', async () => {
    const { fake, config, runbook } = await world();
    const h = await suite.start({ runbook, config });
    const d = await deployLive(h, 'v1.0.0');
    fake.health = 503;
    const [incident] = await eventually(
      () => incidents(h),
      (l) => l.length === 1,
      20_000,
      'the incident',
    );
    if (!incident) return;
    expect(incident.trigger).toBe('web-down');
    expect(incident.deploymentId).toBe(d.id);
    expect(incident.measured).toMatchObject({ threshold: 2 });
    fake.health = 200;
    const cleared = await eventually(
      async () => h.preflight.engine.incidents.get(incident.id),
      (i) => i?.cleared !== undefined,
      20_000,
      'the cleared re-check',
    );
    expect(cleared?.state).toBe('open');
    expect(cleared?.pages.map((p) => p.levelId)).toEqual(['L1']);
    // The note is delivered from the outbox just after the commit that cleared it.
    const notes = await eventually(
      async () => incidentNotes(h, incident.id).join('\n'),
      (n) => n.includes('🟢 Cleared'),
      10_000,
      'the cleared note',
    );
    expect(notes).toMatch(
      /🟢 Cleared: the re-check before the next page found \/health failing: web passing\. Paging stops\./,
    );
    // PagerDuty's alert for the L1 page is resolved, so PagerDuty's own escalation does not go on notifying.
    const resolved = await eventually(
      async () => fake?.pagerduty.received.filter((e) => e.event_action === 'resolve') ?? [],
      (r) => r.length > 0,
      10_000,
      'the resolve of the L1 alert',
    );
    expect(resolved.map((e) => e.dedup_key)).toEqual([`preflight/${incident.id}/L1`]);
    await new Promise((r) => setTimeout(r, 4_000));
    expect((await h.preflight.engine.incidents.get(incident.id))?.pages).toHaveLength(1);
    expect(fake.pagerduty.received.filter((e) => e.event_action === 'trigger')).toHaveLength(1);
    const audit = await h.preflight.engine.incidents.audit(incident.id);
    expect(audit.map((r) => r.type)).toContain('incident.cleared');

    // It fails again: paging resumes from where the ladder stopped, and L2 is paged (the re-check that cleared
    // used up L2's first timer; the new one must not be taken for it).
    fake.health = 503;
    await eventually(
      async () => fake?.pagerduty.received.filter((e) => e.event_action === 'trigger') ?? [],
      (t) => t.some((e) => e.dedup_key === `preflight/${incident.id}/L2`),
      30_000,
      'L2 paged after the trigger fired again',
    );
    expect(incidentNotes(h, incident.id).join('\n')).toContain(`🔴 ${incident.id} fired again`);
  });
});

describe('a bot restart between two pages', () => {
  it('the next page still goes out, from the delayed job in Redis', async () => {
    const { config, runbook } = await world();
    const first = await suite.start({ runbook, config });
    const opened = await openIncidentFor(first.preflight.engine, {
      service: 'svc',
      title: 'declared by hand',
      trigger: 'manual',
      openedBy: 'ann',
    });
    if (!opened.ok) throw opened.error;
    const id = opened.incident.id;
    await first.stop();
    const second = await startHarness({ runbook, config, redisUrl: suite.redis.url, prefix: first.prefix });
    try {
      const paged = await eventually(
        async () => second.preflight.engine.incidents.get(id),
        (i) => (i?.pages.length ?? 0) >= 2,
        20_000,
        'the L2 page after the restart',
      );
      const l2 = paged?.pages[1];
      expect(l2?.levelId).toBe('L2');
      // On time: not before L1's respond_within (3 s), and before the first repeat was due.
      expect((l2?.at ?? 0) - opened.incident.openedAt).toBeGreaterThanOrEqual(3_000);
      expect((l2?.at ?? 0) - opened.incident.openedAt).toBeLessThan(3_000 + 2_000 + 5_000);
      expect(paged?.pages.filter((p) => p.levelId === 'L1')).toHaveLength(1);
    } finally {
      await second.stop();
    }
  });
});
