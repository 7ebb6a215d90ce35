/**
 * Redis gone while an incident's next escalation falls due, with two replicas of the bot on it: once Redis is
 * back L2 is paged once (one PagerDuty trigger, one mention in the incident thread), and nothing is paged twice.
 */
import { expect, it } from 'vitest';
import { INCIDENT_CHANNEL } from '../helpers/fake-slack-api.ts';
import { waitFor } from '../helpers/slack-harness.ts';
import { SLOW_START, useSpawnedSlackWorld } from '../helpers/spawned-slack-world.ts';

const RUNBOOK = `version: 1
service: svc
timezone: UTC
environments: { production: { default: true } }
channels: { deploy: "#deployments", incident: "#incident-response" }
people:
  alice: { name: Alice, slack: U0ALICE01, pagerduty: PALICE1 }
  bob: { name: Bob, slack: U0BOB0001, pagerduty: PBOB001 }
groups: { ops: [alice, bob] }
permissions: { deploy: [ops], rollback: [ops], incident: [ops] }
steps:
  - { id: ship, title: Ship it, run: "true" }
escalation:
  levels:
    - { id: L1, notify: [alice], via: [mention, pagerduty], respond_within: 8s }
    - { id: L2, notify: [bob], via: [mention, pagerduty], respond_within: 15m }
`;

const world = useSpawnedSlackWorld(RUNBOOK, { pagerDuty: true });

it('an escalation due while Redis is away pages its level once when Redis is back, with two replicas up', async () => {
  const one = await world.start(SLOW_START);
  const two = await world.start(SLOW_START);
  try {
    expect(
      (await world.command(one, 'U0ALICE01', '/incident open svc checkout is down', 'open')).status,
    ).toBe(200);
    const received = () => world.pagerDuty.pagerduty.received;
    await waitFor('the L1 page', () => (received().length >= 1 ? true : undefined), 30_000);
    await world.redis.kill();
    await new Promise((r) => setTimeout(r, 25_000));
    for (const bot of [one, two]) expect((await fetch(`${bot.base}/readyz`)).status).toBe(503);
    await world.redis.restart();

    await waitFor('the L2 page', () => (received().length >= 2 ? true : undefined), 60_000);
    await waitFor(
      'Bob mentioned in the incident thread',
      () =>
        world.slack.messages.find((m) => m.channel === INCIDENT_CHANNEL && m.text.includes('<@U0BOB0001>')),
      30_000,
    );
    await new Promise((r) => setTimeout(r, 6_000));
    const triggers = received().filter((e) => e.event_action === 'trigger');
    const bobMentions = world.slack.messages.filter(
      (m) => m.channel === INCIDENT_CHANNEL && m.threadTs && m.text.includes('<@U0BOB0001>'),
    );
    // A page sent again after the outage carries the same dedup key: PagerDuty notifies each level once.
    expect(new Set(triggers.map((t) => t.dedup_key))).toEqual(
      new Set(['preflight/INC-1/L1', 'preflight/INC-1/L2']),
    );
    expect(bobMentions).toHaveLength(1);
    const roots = world.slack.messages.filter((m) => m.channel === INCIDENT_CHANNEL && !m.threadTs);
    expect(roots).toHaveLength(1);
  } finally {
    await one.stop();
    await two.stop();
  }
}, 200_000);
