/**
 * What /metrics shows of PagerDuty: each try against a local Events API v2 server is counted by what became of it
 * (taken, refused, rate-limited, failed), and every outcome shows at 0 before the first page when PagerDuty is set.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { PagerEvent } from '../../src/core/index.ts';
import { createMetrics } from '../../src/infra/metrics.ts';
import { createPagerDutyPager } from '../../src/infra/pagerduty-pager.ts';
import { type FakeMonitoring, refusedUrl, startFakeMonitoring } from '../helpers/fake-monitoring.ts';

let fake: FakeMonitoring;
beforeAll(async () => {
  fake = await startFakeMonitoring();
});
afterAll(() => fake.close());

const quiet = { warn() {}, error() {} };
const event = (action: PagerEvent['action']): PagerEvent => ({
  action,
  dedupKey: 'preflight/INC-1/L1',
  summary: '[L1] svc production: checkout answers 500',
  source: 'preflight/svc',
  severity: 'critical',
});

/** The value of `preflight_pagerduty_events_total{action,outcome}` in the scrape, if shown. */
function count(text: string, action: string, outcome: string): number | undefined {
  const line = text
    .split('\n')
    .find((l) => l.startsWith(`preflight_pagerduty_events_total{action="${action}",outcome="${outcome}"}`));
  return line === undefined ? undefined : Number(line.split(' ').at(-1));
}

describe('PagerDuty outcomes in /metrics', () => {
  it('shows every action and outcome at 0 before the first page, only where PagerDuty is set', async () => {
    const none = createMetrics();
    none.prime({ services: ['svc'], levels: ['L1'], platforms: ['slack'], pagerduty: false, runbooks: [] });
    expect((await none.render()).body).not.toContain('preflight_pagerduty_events_total{');
    const metrics = createMetrics();
    metrics.prime({ services: ['svc'], levels: ['L1'], platforms: ['slack'], pagerduty: true, runbooks: [] });
    const text = (await metrics.render()).body;
    for (const action of ['trigger', 'acknowledge', 'resolve'])
      for (const outcome of ['sent', 'refused', 'rate_limited', 'failed'])
        expect(count(text, action, outcome), `${action} ${outcome}`).toBe(0);
  });

  it('says in its HELP that it counts tries, not pages, and where pages are counted', async () => {
    const metrics = createMetrics();
    metrics.prime({ services: [], levels: [], platforms: [], pagerduty: true, runbooks: [] });
    const help = (await metrics.render()).body
      .split('\n')
      .find((l) => l.startsWith('# HELP preflight_pagerduty_events_total '));
    expect(help).toContain('an event sent again');
    expect(help).toContain('counts again, so these are not pages; preflight_pages_total counts pages');
  });

  it('counts each try by what PagerDuty answered: 202, 400, 429, 5xx, 413, 408 and no answer', async () => {
    const metrics = createMetrics();
    metrics.prime({ services: [], levels: [], platforms: [], pagerduty: true, runbooks: [] });
    const pager = createPagerDutyPager({
      routingKey: 'e93facc04764012d7bfb002500d5d1a6',
      eventsUrl: `${fake.url}/v2/enqueue`,
      log: quiet,
      observe: metrics.telemetry.pagerTried,
    });
    fake.pagerduty.replies.push(202, 400, 429, 503, 413, 408);
    const answers = [
      await pager.send(event('trigger')),
      await pager.send(event('trigger')),
      await pager.send(event('trigger')),
      await pager.send(event('acknowledge')),
      await pager.send(event('trigger')),
      await pager.send(event('acknowledge')),
    ];
    expect(answers.map((a) => (a.ok ? 'sent' : a.failure))).toEqual([
      'sent',
      'refused',
      'rate_limited',
      'failed',
      'refused',
      'failed',
    ]);
    const away = createPagerDutyPager({
      routingKey: 'e93facc04764012d7bfb002500d5d1a6',
      eventsUrl: `${await refusedUrl()}/v2/enqueue`,
      log: quiet,
      observe: metrics.telemetry.pagerTried,
    });
    expect(await away.send(event('resolve'))).toMatchObject({ ok: false, failure: 'failed' });

    const text = (await metrics.render()).body;
    expect({
      sent: count(text, 'trigger', 'sent'),
      refused: count(text, 'trigger', 'refused'),
      rateLimited: count(text, 'trigger', 'rate_limited'),
      ackFailed: count(text, 'acknowledge', 'failed'),
      resolveFailed: count(text, 'resolve', 'failed'),
      resolveSent: count(text, 'resolve', 'sent'),
    }).toEqual({ sent: 1, refused: 2, rateLimited: 1, ackFailed: 2, resolveFailed: 1, resolveSent: 0 });
  });
});
