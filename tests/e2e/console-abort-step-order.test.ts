/**
 * `/deploy abort` while a step runs, in the real preflight console: the transcript shows the step stopped before the
 * report that the deployment was aborted, as on Slack and Discord (slack-abort-step-order.test.ts).
 */
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { startTestRedis, type TestRedis } from '../helpers/redis-server.ts';
import { runConsoleSession } from '../helpers/run-console.ts';

const RUNBOOK = `version: 1
service: long
timezone: UTC
environments: { production: { default: true } }
channels: { deploy: "#deployments", incident: "#incident-response" }
people:
  ann: { name: Ann }
permissions: { deploy: [ann], rollback: [ann], abort: [ann] }
steps:
  - { id: build, title: Build, run: "sleep 30", timeout: 10m }
  - { id: ship, title: Ship, run: "true" }
escalation: { levels: [{ id: L1, notify: [ann], respond_within: 15m }] }
`;

const SCRIPT = `
@ann /deploy start long v1.0.0
wait last running
@ann /deploy abort long-1 wrong version
wait last aborted
`;

let redis: TestRedis;
let dir: string;
beforeAll(async () => {
  redis = await startTestRedis();
  dir = await mkdtemp(join(tmpdir(), 'preflight-console-'));
  await writeFile(join(dir, 'runbook.yaml'), RUNBOOK);
});
afterAll(async () => {
  await redis.stop();
  await rm(dir, { recursive: true, force: true });
});

it('shows the running step stopped before the report of the abort', async () => {
  const run = await runConsoleSession({ redisUrl: redis.url, dir }, SCRIPT);
  expect(run.status, run.stdout).toBe(0);
  expect(run.stdout).toContain('long-1: deployment aborted.');
  // The deployment's thread: replies under its status message m1, in the order the terminal shows them.
  const lines = run.stdout.split('\n');
  // A one-line reply is shown on its header line; a longer one starts on the next line.
  const replies = lines.flatMap((line, at) =>
    line.includes('#deployments › m1 ') ? [line.endsWith(' preflight') ? lines[at + 1] : line] : [],
  );
  expect(
    replies.map((r) => r?.replace(/^.*preflight: /, '').trim()),
    run.stdout,
  ).toEqual(['🛑 Step 1 Build was stopped', '🛑 Report long v1.0.0 → production (long-1): aborted']);
}, 120_000);
