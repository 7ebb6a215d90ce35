/**
 * The worker sending an incident's page to PagerDuty is killed while PagerDuty holds the request; the incident is
 * acknowledged, and PagerDuty takes the page only after that acknowledgement: the worker that takes over follows
 * it with an acknowledgement, so PagerDuty is left with no open alert paging people.
 */
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { applyIncidentEvent } from '../../../src/core/index.ts';
import { type AlertWebhook, alertPayload, serveAlertWebhook } from '../../helpers/alert-webhook.ts';
import { useEngineSuite } from '../../helpers/engine-suite.ts';
import {
  type FakeMonitoring,
  HOLD,
  openAtPagerDuty,
  startFakeMonitoring,
} from '../../helpers/fake-monitoring.ts';
import { eventually, incidentRunbook } from '../../helpers/incident-world.ts';
import { takenAtPagerDuty, triedAtPagerDuty } from '../../helpers/pagerduty-waits.ts';
import { spawnWorker } from '../../helpers/spawn-worker.ts';

const suite = useEngineSuite();
let fake: FakeMonitoring | undefined;
let webhook: AlertWebhook | undefined;
afterEach(async () => {
  await webhook?.close();
  await fake?.close();
  webhook = undefined;
  fake = undefined;
});

describe('a worker killed while PagerDuty holds the request of a page', () => {
  it('leaves no alert open at PagerDuty when PagerDuty takes the page after the acknowledgement', async () => {
    fake = await startFakeMonitoring();
    const monitoring = fake;
    monitoring.pagerduty.replies.push(HOLD);
    const pagerDuty = {
      PAGERDUTY_ROUTING_KEY: 'e93facc04764012d7bfb002500d5d1a6',
      PAGERDUTY_EVENTS_URL: `${monitoring.url}/v2/enqueue`,
    };
    // The bot only commits; worker processes relay its effects and send the pages.
    const h = await suite.start({ runbook: incidentRunbook(monitoring.url), work: false, config: pagerDuty });
    const runbook = join(h.dir, 'runbook.yaml');
    const first = await spawnWorker(suite.redis.url, runbook, h.prefix, h.dir, pagerDuty);
    suite.workers.push(first);
    webhook = await serveAlertWebhook(h);
    const id =
      (await webhook.post(alertPayload('ServiceDown', [{ name: 'ServiceDown', fingerprint: 'a1' }])))
        .incidents[0] ?? '';
    const l1 = `preflight/${id}/L1`;
    await triedAtPagerDuty(monitoring, l1);
    await first.kill();
    expect((await applyIncidentEvent(h.preflight.engine, id, { type: 'incident.ack', by: 'ann' })).ok).toBe(
      true,
    );
    // Each try of the worker taking over waits 3 s for PagerDuty's answer.
    const second = await spawnWorker(suite.redis.url, runbook, h.prefix, h.dir, {
      ...pagerDuty,
      PAGER_TIMEOUT_MS: '3000',
    });
    suite.workers.push(second);
    await takenAtPagerDuty(monitoring, 'acknowledge', l1);
    // PagerDuty takes the trigger of the killed try only now, after the acknowledgement.
    monitoring.pagerduty.release();
    expect(openAtPagerDuty(monitoring)).toEqual([l1]);
    await eventually(
      async () => openAtPagerDuty(monitoring),
      (open) => open.length === 0,
      40_000,
      'L1 closed',
    );
  });
});
