/**
 * A Slack app without the `reactions:read` scope: each escalation page first tries to read the acknowledgements
 * back (`reactions.get`), which Slack refuses. The log says what to add once, not again before every page.
 */
import { describe, expect, it } from 'vitest';
import { waitFor } from '../helpers/slack-harness.ts';
import { useSpawnedSlackWorld } from '../helpers/spawned-slack-world.ts';
import { ANN, CAT, threePeopleRunbook } from '../helpers/three-people-runbook.ts';

const RUNBOOK = threePeopleRunbook(
  'svc',
  `groups: { oncall: [ann], lead: [ben], head: [cat] }
permissions: { deploy: [oncall], rollback: [oncall], incident: [oncall, lead, head] }
steps:
  - { id: ship, title: Ship, run: "true" }
escalation:
  levels:
    - { id: L1, notify: [ann], via: [mention], respond_within: 2s }
    - { id: L2, notify: [lead], via: [mention], respond_within: 2s }
    - { id: L3, notify: [head], via: [mention], respond_within: 1h }
`,
);

const world = useSpawnedSlackWorld(RUNBOOK);

describe('escalation pages on a Slack app without reactions:read', () => {
  it('go out, and the log says once what scope to add', async () => {
    world.slack.fail('reactions.get', { error: 'missing_scope' }, 1_000);
    const bot = await world.start({ logLevel: 'info' });
    const open = await world.command(bot, ANN, '/incident open svc production checkout is failing', 'open');
    expect(open.status).toBe(200);
    await waitFor(
      'the L3 page',
      () => world.slack.messages.find((m) => m.text.includes(`<@${CAT}>`)),
      30_000,
    );
    const refusedReads = world.slack.calls.filter(
      (c) => c.method === 'reactions.get' && c.error === 'missing_scope',
    );
    expect(refusedReads.length).toBeGreaterThanOrEqual(2);
    const warnings = bot
      .stdout()
      .split('\n')
      .filter((l) => l.includes('reactions:read'));
    expect(warnings).toHaveLength(1);
  }, 60_000);
});
