/**
 * Redis restarted with its data gone (no AOF, a new empty server at the same address) while the bot runs: the
 * deployments, approvals and timers it held are lost, and the bot says so loudly (an error line, /readyz not ready
 * with the reason) instead of carrying on as if nothing happened.
 */
import { readdir, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { expect, it } from 'vitest';
import { waitFor } from '../helpers/slack-harness.ts';
import { SLOW_START, useSpawnedSlackWorld, useWorldDeployments } from '../helpers/spawned-slack-world.ts';
import { ANN, threePeopleRunbook } from '../helpers/three-people-runbook.ts';

const world = useSpawnedSlackWorld(
  threePeopleRunbook(
    'svc',
    `groups: { ops: [ann, ben, cat] }
permissions: { deploy: [ops], rollback: [ops] }
gates:
  go: { title: Go, approvers: [ben] }
steps:
  - { id: ship, title: Ship, needs: [go], run: "true" }
escalation: { levels: [{ id: L1, notify: [ann], respond_within: 15m }] }
`,
  ),
);

const deployments = useWorldDeployments(world);

async function readyz(base: string): Promise<{ status: number; body: string }> {
  const res = await fetch(`${base}/readyz`);
  return { status: res.status, body: await res.text() };
}

it('a Redis that comes back empty is reported as lost data, not taken as healthy', async () => {
  const bot = await world.start(SLOW_START);
  try {
    expect((await world.command(bot, ANN, '/deploy start svc v1.0.0', 'start')).status).toBe(200);
    await waitFor('the gate message', () => world.slack.messages.find((m) => m.text.includes('*Go* gate')));
    expect(await deployments().list({ service: 'svc', limit: 5 })).toHaveLength(1);

    await world.redis.kill();
    for (const entry of await readdir(world.redis.dir))
      await rm(join(world.redis.dir, entry), { recursive: true, force: true });
    await world.redis.restart();

    const said = await waitFor(
      'the bot saying Redis lost its data',
      () => (/lost its data/.test(bot.stdout()) ? bot.stdout() : undefined),
      30_000,
    );
    expect(said).toMatch(/"level":50[^\n]*Redis came back empty/);
    const ready = await readyz(bot.base);
    expect(ready.status).toBe(503);
    expect(ready.body).toMatch(/lost its data/);
    const metrics = await (await fetch(`${bot.base}/metrics`)).text();
    expect(metrics).toMatch(/^preflight_redis_data_lost 1$/m);
    expect(bot.child.exitCode).toBeNull();
  } finally {
    await bot.stop();
  }
}, 120_000);
