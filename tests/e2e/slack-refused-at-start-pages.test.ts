/**
 * The bot comes back with an overdue page while Slack refuses its token: the Slack adapter never comes
 * up and `preflight start` ends, saying why. The page due meanwhile is not held for Slack: nobody acknowledged the
 * incident, and the next level is paged on PagerDuty before that process ends.
 */
import type { ChildProcess } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { waitFor } from '../helpers/slack-harness.ts';
import { type RunningBot, spawnStart } from '../helpers/spawn-start.ts';
import { useSpawnedSlackWorld } from '../helpers/spawned-slack-world.ts';

const ANN = 'U0ANN0001';
const CAT = 'U0CAT0001';

const RUNBOOK = `version: 1
service: svc
timezone: UTC
environments: { production: { default: true } }
channels: { deploy: "#deployments", incident: "#incident-response" }
people:
  ann: { name: Ann, slack: ${ANN}, pagerduty: PANN001 }
  cat: { name: Cat, slack: ${CAT}, pagerduty: PCAT001 }
groups: { oncall: [ann], lead: [cat] }
permissions: { deploy: [oncall], rollback: [oncall], incident: [oncall, lead] }
steps:
  - { id: ship, title: Ship, run: "true" }
escalation:
  levels:
    - { id: L1, notify: [ann], via: [mention, pagerduty], respond_within: 2s }
    - { id: L2, notify: [lead], via: [mention, pagerduty], respond_within: 1m }
`;

const world = useSpawnedSlackWorld(RUNBOOK, { pagerDuty: true });
let bot: RunningBot | undefined;

const triggered = (level: string) =>
  world.pagerDuty.pagerduty.received.some(
    (e) => e.event_action === 'trigger' && e.dedup_key === `preflight/INC-1/${level}`,
  );

describe('an overdue page when Slack refuses the bot that comes back', () => {
  it('is not held for Slack: the next level is paged on PagerDuty', async () => {
    bot = await world.start({ logLevel: 'info' });
    const open = await world.command(bot, ANN, '/incident open svc production checkout is failing', 'open');
    expect(open.status).toBe(200);
    await waitFor('the L1 page on PagerDuty', () => triggered('L1'));

    // The bot goes down; L2 comes due (2 s after the incident opened) before it is back, and Slack refuses it then.
    await bot.kill();
    bot = undefined;
    await new Promise((r) => setTimeout(r, 3_000));
    world.slack.fail('auth.test', { error: 'invalid_auth' }, 1_000);

    let child: ChildProcess | undefined;
    await expect(
      spawnStart(world.env({ logLevel: 'info' }), { onSpawn: (c) => (child = c) }),
    ).rejects.toThrow(/Slack refused the bot token/);
    expect(child?.exitCode).toBe(1);
    // Paged by the process that could not start, before it ended: no process is left to page later.
    expect(triggered('L2')).toBe(true);
  }, 90_000);
});
