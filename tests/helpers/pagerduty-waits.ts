/** Waits on what the fake PagerDuty (fake-monitoring.ts) was asked and took. */
import type { FakeMonitoring } from './fake-monitoring.ts';
import { eventually } from './incident-world.ts';

/** Until a request for `dedupKey` reached PagerDuty (taken, held or refused). */
export const triedAtPagerDuty = (monitoring: FakeMonitoring, dedupKey: string) =>
  eventually(
    async () => monitoring.pagerduty.tries.map((t) => t.dedupKey),
    (keys) => keys.includes(dedupKey),
    20_000,
    `a request for ${dedupKey} at PagerDuty`,
  );

/** Until PagerDuty took `action` for `dedupKey`. */
export const takenAtPagerDuty = (monitoring: FakeMonitoring, action: string, dedupKey: string) =>
  eventually(
    async () => monitoring.pagerduty.received.map((e) => `${e.event_action} ${e.dedup_key}`),
    (taken) => taken.includes(`${action} ${dedupKey}`),
    20_000,
    `the ${action} of ${dedupKey} at PagerDuty`,
  );
