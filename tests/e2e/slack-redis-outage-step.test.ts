/**
 * Redis (not the bot) gone for longer than a job's lock and a run's lease while a non-idempotent step runs: once
 * Redis is back the step's result is recorded once and the deployment carries on; the thread never says the
 * step was interrupted, /readyz said not ready while Redis was away, and the log does not repeat itself.
 */
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { expect, it } from 'vitest';
import { waitFor } from '../helpers/slack-harness.ts';
import { SLOW_START, useSpawnedSlackWorld, useWorldDeployments } from '../helpers/spawned-slack-world.ts';
import { ANN, threePeopleRunbook } from '../helpers/three-people-runbook.ts';

const OUTAGE_MS = 32_000;

const world = useSpawnedSlackWorld((dir) =>
  threePeopleRunbook(
    'svc',
    `groups: { ops: [ann, ben, cat] }
permissions: { deploy: [ops], rollback: [ops] }
steps:
  - { id: migrate, title: Migrate, idempotent: false, run: 'echo begun >> ${join(dir, 'runs')}; sleep 42; echo migrated' }
  - { id: ship, title: Ship, run: "true" }
escalation: { levels: [{ id: L1, notify: [ann], respond_within: 15m }] }
`,
  ),
);

const deployments = useWorldDeployments(world);
const runs = () => readFile(join(world.dir, 'runs'), 'utf8').catch(() => '');

it('a step that outlives a Redis outage longer than its lease is recorded once, and the thread says nothing false', async () => {
  const bot = await world.start(SLOW_START);
  try {
    expect((await world.command(bot, ANN, '/deploy start svc v1.0.0', 'start')).status).toBe(200);
    await waitFor('the step begun', async () => ((await runs()).includes('begun') ? true : undefined));
    await world.redis.kill();
    const readyWhileDown = await fetch(`${bot.base}/readyz`);
    expect(readyWhileDown.status).toBe(503);
    await new Promise((r) => setTimeout(r, OUTAGE_MS));
    await world.redis.restart();

    const ended = await waitFor(
      'the deployment ended or asking',
      async () => {
        const [d] = await deployments().list({ service: 'svc', limit: 5 });
        return d && ['succeeded', 'failed', 'aborted', 'needs_decision'].includes(d.state) ? d : undefined;
      },
      90_000,
    );
    const thread = world.slack.messages.map((m) => m.text);
    expect(ended.state).toBe('succeeded');
    expect((await runs()).match(/begun/g)).toHaveLength(1);
    expect(thread.join('\n')).not.toMatch(/interrupted|stopped while/i);
    // One outage, one line about the channel's send lease, not one per renewal that waited for Redis.
    expect(bot.stdout().match(/channel lease lost or released/g)?.length ?? 0).toBeLessThanOrEqual(1);
  } finally {
    await bot.stop();
  }
}, 200_000);
