/**
 * `preflight start` stopping gracefully (SIGTERM) while a step runs: until the step is done its HTTP server stays
 * up, /readyz says it is stopping, a Slack command sent meanwhile is recorded (200) and answered by the next start,
 * and the process exits 0.
 */
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { waitFor } from '../helpers/slack-harness.ts';
import type { RunningBot } from '../helpers/spawn-start.ts';
import { useSpawnedSlackWorld } from '../helpers/spawned-slack-world.ts';

const runbook = (marker: string) => `version: 1
service: svc
timezone: UTC
environments: { production: { default: true } }
channels: { deploy: "#deployments", incident: "#incident-response" }
people:
  ann: { name: Ann, slack: U0ANN0001 }
groups: { ops: [ann] }
permissions: { deploy: [ops], rollback: [ops] }
steps:
  - { id: ship, title: Ship, run: "touch '${marker}'; sleep 4" }
escalation: { levels: [{ id: L1, notify: [ann], respond_within: 15m }] }
`;

const world = useSpawnedSlackWorld((dir) => runbook(join(dir, 'started')));
const start = () => world.start();

const command = (bot: RunningBot, text: string, tag: string) =>
  world.command(bot, 'U0ANN0001', `/deploy ${text}`, tag);

describe('a graceful stop while a step runs', () => {
  it('keeps answering HTTP until the step is done: not ready, Slack requests recorded', async () => {
    const bot = await start();
    expect((await command(bot, 'start svc v1.0.0', 'start')).status).toBe(200);
    await waitFor('the step to start', () => existsSync(join(world.dir, 'started')), 20_000);
    const exited = new Promise<number | null>((resolve) => bot.child.once('exit', resolve));
    bot.child.kill('SIGTERM');
    await new Promise((r) => setTimeout(r, 300));

    const ready = await fetch(`${bot.base}/readyz`);
    expect(ready.status).toBe(503);
    expect(((await ready.json()) as { checks: Record<string, string> }).checks.process).toMatch(/^stopping/);
    expect((await fetch(`${bot.base}/healthz`)).status).toBe(200);
    expect((await command(bot, 'status svc', 'during-drain')).status).toBe(200);

    expect(await exited).toBe(0);
    const next = await start();
    const answer = await waitFor('the answer to the command sent while stopping', () =>
      world.slack.responses.find((r) => r.tag === 'during-drain'),
    );
    expect(String(answer.body.text)).toContain('svc');
    await waitFor(
      'the deployment to succeed',
      () => world.slack.messages.find((m) => m.text.includes('*Report*')),
      20_000,
    );
    expect(next.stderr()).not.toContain('Error');
  }, 90_000);
});
