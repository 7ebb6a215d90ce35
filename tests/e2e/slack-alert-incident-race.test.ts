/**
 * Slack end to end, things arriving at the same moment: one Alertmanager alert POSTed twice at once and in another
 * webhook group at once opens one incident (one message, one page in its thread, one PagerDuty trigger); the
 * Acknowledge button pressed by Ann while Ben types `/ack INC-1` records one acknowledgement, tells each the truth
 * (one acknowledged it, the other that Ann or Ben already did) and says it once in the thread; paging stops.
 * Once L2 was paged, L1 was paged too: its people may still acknowledge (design: "the paged level or above"), by
 * button, 👀 and `/ack` alike.
 */
import { describe, expect, it } from 'vitest';
import { INCIDENT_CHANNEL } from '../helpers/fake-slack-methods.ts';
import { routeAlerts, shopDownAlert, shopRunbook } from '../helpers/shop-alert.ts';
import { usePagerDutyFake, useSlackSuite } from '../helpers/slack-suite.ts';

const ANN = 'U0ANN0001';
const BEN = 'U0BEN0001';
const CAT = 'U0CAT0001';

const RUNBOOK = shopRunbook({
  people: { ann: ANN, ben: BEN, cat: CAT },
  ops: ['ann', 'ben'],
  environments: '{ production: { default: true }, staging: {}, qa: {}, dev: {} }',
  levels: [
    '{ id: L1, notify: [ops], via: [mention, pagerduty], respond_within: 6s }',
    '{ id: L2, notify: [cat], via: [mention, pagerduty], respond_within: 1h }',
  ],
});

const pager = usePagerDutyFake();
const suite = useSlackSuite(RUNBOOK, { config: pager.config });

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

describe('the same alert arriving several times at once', () => {
  it('opens one incident, posts it once and pages once', async () => {
    const { h } = suite;
    const post = routeAlerts(h);
    const alert = shopDownAlert();
    const otherGroup = {
      ...alert,
      groupKey: '{}:{service="shop"}',
      groupLabels: { service: 'shop' },
    };
    const answers = await Promise.all([post(alert), post(alert), post(otherGroup)]);
    expect(answers.map((a) => a.status)).toEqual([200, 200, 200]);
    const opened = await Promise.all(
      answers.map(async (a) => ((await a.json()) as { incidents: string[] }).incidents),
    );
    expect(opened.flat()).toEqual(['INC-1']);
    await h.waitFor('the L1 page on PagerDuty', () => pager.fake.pagerduty.received.length > 0, 20_000);
    await sleep(1_500);
    expect(await h.preflight.engine.incidents.list({ service: 'shop' })).toHaveLength(1);
    const roots = h.fake.messages.filter((m) => m.channel === INCIDENT_CHANNEL && !m.threadTs);
    expect(roots).toHaveLength(1);
    const pagesInThread = h.fake.messages.filter(
      (m) => m.channel === INCIDENT_CHANNEL && m.threadTs && m.text.includes(`<@${ANN}>`),
    );
    expect(pagesInThread).toHaveLength(1);
    expect(pager.fake.pagerduty.received.map((e) => `${e.event_action} ${e.dedup_key}`)).toEqual([
      'trigger preflight/INC-1/L1',
    ]);
  }, 60_000);
});

describe('the Acknowledge button and /ack by two people at once', () => {
  it('records one acknowledgement, tells each the truth, says it once and stops paging', async () => {
    const { h } = suite;
    const message = await h.waitFor('the incident message', () =>
      h.fake.messages.find((m) => m.channel === INCIDENT_CHANNEL && !m.threadTs && m.text.includes('INC-1')),
    );
    const [pressed, typed] = await Promise.all([
      h.click(ANN, message, 'incident.ack'),
      h.command(BEN, '/ack INC-1'),
    ]);
    const answer = async (tag: string) =>
      String(
        (await h.waitFor(`the answer ${tag}`, () => h.fake.responses.find((r) => r.tag === tag))).body.text,
      );
    const toAnn = await answer(pressed.tag);
    const toBen = await answer(typed.tag);
    const incident = await h.preflight.engine.incidents.get('INC-1');
    expect(incident?.state).toBe('acknowledged');
    const by = incident?.ack?.by;
    expect(['ann', 'ben']).toContain(by);
    const [winner, loser] = by === 'ann' ? [toAnn, toBen] : [toBen, toAnn];
    expect(winner).toMatch(/acknowledged INC-1|INC-1 acknowledged by/);
    expect(winner).not.toContain('already');
    expect(loser).toContain(`INC-1 is already acknowledged by ${by === 'ann' ? 'Ann' : 'Ben'}`);
    const audit = await h.preflight.engine.incidents.audit('INC-1');
    expect(audit.filter((r) => r.type === 'incident.acknowledged')).toHaveLength(1);
    // Past the time L2 would have been paged.
    await sleep(Math.max(0, (incident?.openedAt ?? 0) + 7_500 - Date.now()));
    const acks = h.fake.messages.filter(
      (m) => m.channel === INCIDENT_CHANNEL && m.threadTs && m.text.includes('acknowledged INC-1'),
    );
    expect(acks).toHaveLength(1);
    expect(h.fake.messages.some((m) => m.text.includes(`<@${CAT}>`))).toBe(false);
    expect(pager.fake.pagerduty.received.map((e) => `${e.event_action} ${e.dedup_key}`)).toEqual([
      'trigger preflight/INC-1/L1',
      'acknowledge preflight/INC-1/L1',
    ]);
  }, 60_000);
});

describe('L1 acknowledging after L2 was paged', () => {
  it('counts, by the button, 👀 and /ack alike', async () => {
    const { h } = suite;
    const post = routeAlerts(h);
    const envs = ['staging', 'qa', 'dev'];
    const answers = await Promise.all(
      envs.map((environment, i) => post(shopDownAlert({ fingerprint: `e${i}`, labels: { environment } }))),
    );
    const ids = (
      await Promise.all(answers.map(async (a) => ((await a.json()) as { incidents: string[] }).incidents))
    ).flat();
    expect(ids.sort()).toEqual(['INC-2', 'INC-3', 'INC-4']);
    for (const id of ids)
      await h.waitFor(
        `L2 paged for ${id}`,
        () => pager.fake.pagerduty.received.some((e) => e.dedup_key === `preflight/${id}/L2`),
        20_000,
      );
    const root = (id: string) =>
      h.fake.messages.find((m) => m.channel === INCIDENT_CHANNEL && !m.threadTs && m.text.includes(id));
    const byId = (id: string) => {
      const found = root(id);
      if (!found) throw new Error(`no message for ${id}`);
      return found;
    };
    const pressed = await h.click(ANN, byId('INC-2'), 'incident.ack');
    expect((await h.react(BEN, byId('INC-3'), 'eyes')).status).toBe(200);
    const typed = await h.command(ANN, '/ack INC-4');
    for (const tag of [pressed.tag, typed.tag]) {
      const told = await h.waitFor(`the answer ${tag}`, () => h.fake.responses.find((r) => r.tag === tag));
      expect(String(told.body.text)).not.toContain('⚠️');
    }
    for (const [id, by] of [
      ['INC-2', 'ann'],
      ['INC-3', 'ben'],
      ['INC-4', 'ann'],
    ] as const)
      await h.waitFor(`${id} acknowledged by ${by}`, async () => {
        const incident = await h.preflight.engine.incidents.get(id);
        return incident?.state === 'acknowledged' && incident.ack?.by === by;
      });
  }, 60_000);
});
