/**
 * An alert that resolves while PagerDuty throttles its incident's page: paging stops, and PagerDuty is left with no
 * open alert for it (the page waiting out its Retry-After is not sent after the resolve that went first). Likewise
 * an incident acknowledged while PagerDuty holds its page's request: PagerDuty may take that page after the
 * acknowledgement, so the acknowledgement follows it again, even when Preflight gave up waiting for the answer.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { applyIncidentEvent } from '../../../src/core/index.ts';
import { type AlertWebhook, alertPayload, serveAlertWebhook } from '../../helpers/alert-webhook.ts';
import { FAST_TUNING } from '../../helpers/engine-harness.ts';
import { useEngineSuite } from '../../helpers/engine-suite.ts';
import {
  type FakeMonitoring,
  HOLD,
  openAtPagerDuty,
  startFakeMonitoring,
} from '../../helpers/fake-monitoring.ts';
import { eventually, incidentRunbook } from '../../helpers/incident-world.ts';
import { takenAtPagerDuty, triedAtPagerDuty } from '../../helpers/pagerduty-waits.ts';

const suite = useEngineSuite();
let fake: FakeMonitoring | undefined;
let webhook: AlertWebhook | undefined;
afterEach(async () => {
  await webhook?.close();
  await fake?.close();
  webhook = undefined;
  fake = undefined;
});

/** The bot paging through `monitoring`'s PagerDuty, and the incident its ServiceDown alert opened. */
async function openedByAlert(monitoring: FakeMonitoring, pagerTimeoutMs?: number) {
  const h = await suite.start({
    runbook: incidentRunbook(monitoring.url),
    ...(pagerTimeoutMs !== undefined && { tuning: { ...FAST_TUNING, pagerTimeoutMs } }),
    config: {
      PAGERDUTY_ROUTING_KEY: 'e93facc04764012d7bfb002500d5d1a6',
      PAGERDUTY_EVENTS_URL: `${monitoring.url}/v2/enqueue`,
    },
  });
  const alerts = await serveAlertWebhook(h);
  webhook = alerts;
  const id = (await alerts.post(alertPayload('ServiceDown', [{ name: 'ServiceDown', fingerprint: 'a1' }])))
    .incidents[0];
  expect(id).toBeDefined();
  return { h, id: id ?? '', alerts };
}

/** Waits until every PagerDuty job is done. */
const pagerJobsDone = (h: Awaited<ReturnType<typeof openedByAlert>>['h']) =>
  eventually(
    async () => h.preflight.jobs.queues.checks.getJobCounts('active', 'waiting', 'delayed', 'prioritized'),
    (counts) => Object.values(counts).every((n) => n === 0),
    30_000,
    'PagerDuty jobs done',
  );

describe('an alert resolved while PagerDuty throttles the page it opened', () => {
  it('leaves no alert open at PagerDuty', async () => {
    fake = await startFakeMonitoring();
    const monitoring = fake;
    // The L1 page is throttled once (Retry-After: 2 s); what follows is taken.
    monitoring.pagerduty.replies.push(429);
    const { h, id, alerts } = await openedByAlert(monitoring);
    const l1 = `preflight/${id}/L1`;
    await eventually(
      async () => monitoring.pagerduty.tries.filter((t) => t.dedupKey === l1).map((t) => t.status),
      (statuses) => statuses.includes(429),
      20_000,
      'the throttled L1 page',
    );

    const resolved = alertPayload('ServiceDown', [
      { name: 'ServiceDown', fingerprint: 'a1', status: 'resolved' },
    ]);
    expect((await alerts.post(resolved)).resolved).toEqual([id]);
    await eventually(
      async () => monitoring.pagerduty.received.filter((e) => e.dedup_key === l1).map((e) => e.event_action),
      (actions) => actions.includes('resolve'),
      20_000,
      'the resolve of the L1 page at PagerDuty',
    );
    // Every PagerDuty job done, the throttled page's included.
    await pagerJobsDone(h);
    expect(openAtPagerDuty(monitoring)).toEqual([]);
  });
});

describe('an incident acknowledged while PagerDuty holds the request of its page', () => {
  it('leaves no alert open at PagerDuty when PagerDuty takes the page after the acknowledgement', async () => {
    fake = await startFakeMonitoring();
    const monitoring = fake;
    monitoring.pagerduty.replies.push(HOLD);
    const { h, id } = await openedByAlert(monitoring);
    const l1 = `preflight/${id}/L1`;
    await triedAtPagerDuty(monitoring, l1);
    expect((await applyIncidentEvent(h.preflight.engine, id, { type: 'incident.ack', by: 'ann' })).ok).toBe(
      true,
    );
    await takenAtPagerDuty(monitoring, 'acknowledge', l1);
    // PagerDuty takes the trigger only now, after the acknowledgement.
    monitoring.pagerduty.release();
    await pagerJobsDone(h);
    expect(openAtPagerDuty(monitoring)).toEqual([]);
  });
});

describe('an incident acknowledged while PagerDuty holds its page past the time Preflight waits for an answer', () => {
  it('leaves no alert open at PagerDuty when PagerDuty takes the page after the acknowledgement', async () => {
    fake = await startFakeMonitoring();
    const monitoring = fake;
    monitoring.pagerduty.replies.push(HOLD);
    // Each try to reach PagerDuty waits 1 s for its answer.
    const { h, id } = await openedByAlert(monitoring, 1_000);
    const l1 = `preflight/${id}/L1`;
    await triedAtPagerDuty(monitoring, l1);
    expect((await applyIncidentEvent(h.preflight.engine, id, { type: 'incident.ack', by: 'ann' })).ok).toBe(
      true,
    );
    await takenAtPagerDuty(monitoring, 'acknowledge', l1);
    // Preflight gives up waiting for the answer; PagerDuty takes the trigger only now, after the acknowledgement.
    await eventually(
      async () => monitoring.pagerduty.heldOpen,
      (n) => n === 0,
      20_000,
      'the try given up',
    );
    monitoring.pagerduty.release();
    await pagerJobsDone(h);
    expect(openAtPagerDuty(monitoring)).toEqual([]);
  });
});
