/**
 * A page PagerDuty refuses (413 too large, 400 invalid: any 4xx but 429) is final: it is not tried again, it is
 * logged once without the routing key, and the incident's thread says so, what to do, and what the escalation
 * does next; the next level is paged on time, in chat and through PagerDuty. A page built from an outsize title
 * stays within PagerDuty's limits, so PagerDuty takes it.
 */
import { describe, expect, it } from 'vitest';
import { openIncidentFor } from '../../../src/core/index.ts';
import type { Harness } from '../../helpers/engine-harness.ts';
import { useEngineSuite } from '../../helpers/engine-suite.ts';
import type { FakeMonitoring } from '../../helpers/fake-monitoring.ts';
import { useFakeMonitoring } from '../../helpers/fake-monitoring-suite.ts';
import { eventually, incidentNotes, incidentRunbook } from '../../helpers/incident-world.ts';

const ROUTING_KEY = 'e93facc04764012d7bfb002500d5d1a6';
const suite = useEngineSuite();
const monitoring = useFakeMonitoring();

async function world(...replies: number[]) {
  const fake = await monitoring.start({ up: '1' });
  fake.pagerduty.replies.push(...replies);
  const config = {
    PROMETHEUS_URL: fake.url,
    ALERTMANAGER_URL: fake.url,
    PAGERDUTY_ROUTING_KEY: ROUTING_KEY,
    PAGERDUTY_EVENTS_URL: `${fake.url}/v2/enqueue`,
  };
  const h = await suite.start({ runbook: incidentRunbook(fake.url), config });
  return { fake, h };
}

async function declare(h: Harness, title = 'checkout answers 500'): Promise<string> {
  const opened = await openIncidentFor(h.preflight.engine, {
    service: 'svc',
    title,
    trigger: 'manual',
    openedBy: 'ann',
  });
  if (!opened.ok) throw opened.error;
  return opened.incident.id;
}

/** Waits until PagerDuty took the L2 page: L1 had its backoff's time to be retried meanwhile, were it retried. */
async function l2Taken(fake: FakeMonitoring, id: string) {
  await eventually(
    async () => fake.pagerduty.received.map((e) => e.dedup_key),
    (keys) => keys.includes(`preflight/${id}/L2`),
    20_000,
    'the L2 page at PagerDuty',
  );
}

describe('a page PagerDuty refuses', () => {
  it('413: tried once, logged once without the routing key, the thread says what to do, and L2 follows', async () => {
    const { fake, h } = await world(413);
    const id = await declare(h);
    await l2Taken(fake, id);
    const l1 = fake.pagerduty.tries.filter((t) => t.dedupKey === `preflight/${id}/L1`);
    expect(l1.map((t) => t.status)).toEqual([413]);
    const note = incidentNotes(h, id).find((n) => n.includes('PagerDuty refused the L1 page'));
    expect(note).toContain('(HTTP 413: {"status":"error","message":"Request entity too large"})');
    expect(note).toContain('Preflight does not retry it');
    expect(note).toContain('reach them another way');
    expect(note).toContain('report it to Preflight’s maintainers');
    expect(note).toMatch(
      /unless someone answers with `\/ack INC-\d+`, L2 is paged (in [\d.]+s|now) \(in chat, and through PagerDuty/,
    );
    expect(incidentNotes(h, id).join('\n')).not.toContain('Preflight keeps trying');
    // The chat page of L2 went on time, as the ladder says.
    const pages = (await h.preflight.engine.incidents.get(id))?.pages.map((p) => p.levelId);
    expect(pages).toContain('L2');
    const logs = h.logs.join('');
    expect(logs.match(/PagerDuty refused the event/g)).toHaveLength(1);
    expect(logs).not.toContain('PagerDuty did not take the event');
    expect(logs).not.toContain(ROUTING_KEY);
  });

  it('400: tried once, and the thread points at PAGERDUTY_ROUTING_KEY', async () => {
    const { fake, h } = await world(400);
    const id = await declare(h);
    await l2Taken(fake, id);
    const l1 = fake.pagerduty.tries.filter((t) => t.dedupKey === `preflight/${id}/L1`);
    expect(l1.map((t) => t.status)).toEqual([400]);
    const note = incidentNotes(h, id).find((n) => n.includes('PagerDuty refused the L1 page'));
    expect(note).toContain('HTTP 400: {"status":"invalid event"');
    expect(note).toContain(
      'PAGERDUTY_ROUTING_KEY is not the Integration Key of an Events API v2 integration',
    );
    expect(note).toContain('L2 is paged');
  });
});

/** Waits until PagerDuty was tried for `count` pages of the incident; the dedup keys tried, in order. */
async function tried(fake: FakeMonitoring, id: string, count: number): Promise<string[]> {
  const keys = await eventually(
    async () => fake.pagerduty.tries.map((t) => t.dedupKey).filter((k) => k.startsWith(`preflight/${id}/`)),
    (k) => k.length >= count,
    30_000,
    `${count} pages tried at PagerDuty`,
  );
  return keys.slice(0, count);
}

/** The audited refusals of the incident, once `count` of them are in. */
async function refusals(h: Harness, id: string, count: number) {
  return eventually(
    async () =>
      (await h.preflight.engine.incidents.audit(id)).filter((r) => r.type === 'incident.page_refused'),
    (r) => r.length >= count,
    10_000,
    `${count} refusals in the audit`,
  );
}

const refusalNotes = (h: Harness, id: string) =>
  incidentNotes(h, id).filter((n) => n.includes('⚠️ PagerDuty refused'));

describe('PagerDuty refusing every page for the same reason', () => {
  it('is said in the thread once, with what to do; the log and the audit have each refusal', async () => {
    const { fake, h } = await world(400, 400, 400);
    const id = await declare(h);
    expect(await tried(fake, id, 3)).toEqual([
      `preflight/${id}/L1`,
      `preflight/${id}/L2`,
      `preflight/${id}/L2/repeat-1`,
    ]);
    const audited = await refusals(h, id, 3);
    expect(audited.map((r) => r.detail.said)).toEqual([true, false, false]);
    const notes = refusalNotes(h, id);
    expect(notes).toHaveLength(1);
    expect(notes[0]).toContain('PagerDuty refused the L1 page');
    expect(notes[0]).toContain('PAGERDUTY_ROUTING_KEY is not the Integration Key');
    expect(notes[0]).toContain('reach them another way');
    expect(notes[0]).toContain('not said here again');
    expect(h.logs.join('').match(/PagerDuty refused the event/g)).toHaveLength(3);
  });

  it('is said again after PagerDuty took a page, and for another reason', async () => {
    // L1 refused, L2 taken, L2's first repeat refused as L1 was, its second refused for another reason (404) twice.
    const { fake, h } = await world(400, 202, 400, 404, 404);
    const id = await declare(h);
    await tried(fake, id, 5);
    await refusals(h, id, 4);
    const notes = await eventually(
      async () => refusalNotes(h, id),
      (n) => n.length >= 3,
      10_000,
      'three refusal notes',
    );
    expect(notes.map((n) => n.match(/refused the (.+?) page \((HTTP \d+)/)?.slice(1))).toEqual([
      ['L1', 'HTTP 400'],
      ['L2 repeat-1', 'HTTP 400'],
      ['L2 repeat-2', 'HTTP 404'],
    ]);
  });
});

describe('a page built from an outsize title', () => {
  it('is cut to PagerDuty’s limits, so PagerDuty takes it at once', async () => {
    const { fake, h } = await world();
    const id = await declare(h, `checkout answers 500 ${'🔥'.repeat(3_000)}`);
    const [page] = await eventually(
      async () => fake.pagerduty.received.filter((e) => e.dedup_key === `preflight/${id}/L1`),
      (pages) => pages.length === 1,
      20_000,
      'the L1 page at PagerDuty',
    );
    const summary = [...(page?.payload?.summary ?? '')];
    expect(summary.length).toBeLessThanOrEqual(1024);
    expect(summary.at(-1)).toBe('…');
    expect(fake.pagerduty.tries.filter((t) => t.dedupKey === `preflight/${id}/L1`)).toHaveLength(1);
  });
});
