/**
 * A bot killed while PagerDuty holds its page request open (as it may in an outage), started again while PagerDuty
 * answers 500: the thread is told, once, that PagerDuty did not take the page, and once that it took it after all.
 * The try cut off by the kill counts as a try, so "the first failed try" is not the one that says so.
 */
import { describe, expect, it } from 'vitest';
import { HOLD } from '../helpers/fake-monitoring.ts';
import { INCIDENT_CHANNEL } from '../helpers/fake-slack-methods.ts';
import { waitFor } from '../helpers/slack-harness.ts';
import { useSpawnedSlackWorld } from '../helpers/spawned-slack-world.ts';

const RUNBOOK = `version: 1
service: svc
timezone: UTC
environments: { production: { default: true } }
channels: { deploy: "#deployments", incident: "#incident-response" }
people:
  alice: { name: Alice, slack: U0ALICE01, pagerduty: PALICE1 }
groups: { ops: [alice] }
permissions: { deploy: [ops], rollback: [ops], incident: [ops] }
steps:
  - { id: ship, title: Ship it, run: "true" }
escalation:
  levels:
    - { id: L1, notify: [alice], via: [mention, pagerduty], respond_within: 15m }
`;

const world = useSpawnedSlackWorld(RUNBOOK, { pagerDuty: true });

const said = (words: string) =>
  world.slack.messages.filter((m) => m.channel === INCIDENT_CHANNEL && m.text.includes(words));

describe('a bot killed during a PagerDuty call, started again while PagerDuty fails', () => {
  it('says in the thread once that PagerDuty did not take the page, and once that it took it after all', async () => {
    const { pagerduty } = world.pagerDuty;
    pagerduty.replies.push(HOLD, 500, 500);
    const first = await world.start();
    const opened = await world.command(
      first,
      'U0ALICE01',
      '/incident open svc production checkout is failing',
      'open',
    );
    expect(opened.status).toBe(200);
    await waitFor('the page to reach PagerDuty', () => pagerduty.tries[0]);
    await first.kill();

    await world.start();
    // 45 s is this test's patience: the job's lock lapses after 10 s, then the 500 comes at once.
    await waitFor('PagerDuty to answer 500 to the page sent again', () => pagerduty.tries[1], 45_000);
    await waitFor('the thread told PagerDuty did not take the page', () =>
      said('PagerDuty did not take the L1 page').at(0),
    );
    await waitFor('PagerDuty to take the page', () => pagerduty.received[0], 30_000);
    await waitFor('the thread told PagerDuty took it after all', () =>
      said('PagerDuty took the L1 page after all').at(0),
    );
    expect(pagerduty.tries.map((t) => t.status)).toEqual([HOLD, 500, 500, 202]);
    expect(said('PagerDuty did not take the L1 page')).toHaveLength(1);
    expect(said('PagerDuty took the L1 page after all')).toHaveLength(1);
  }, 120_000);
});
