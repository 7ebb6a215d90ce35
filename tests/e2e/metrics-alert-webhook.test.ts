/**
 * /metrics of a real `preflight start` counts what became of each Alertmanager webhook request: Alertmanager does
 * not send a 4xx again, and a 200 with alerts left out is never re-sent either, so an operator must be able to alert
 * on alerts Preflight did not take (a wrong token, a broken template, an environment the runbook lacks).
 */
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { alertPayload, webhookCounts } from '../helpers/alert-webhook.ts';
import { startTestRedis, type TestRedis } from '../helpers/redis-server.ts';
import { type RunningBot, spawnStart } from '../helpers/spawn-start.ts';

const RUNBOOK = `version: 1
service: svc
timezone: UTC
environments: { production: { default: true } }
channels: { deploy: "#deployments", incident: "#incident-response" }
people:
  ann: { name: Ann }
groups: { ops: [ann] }
permissions: { deploy: [ops], rollback: [ops] }
steps:
  - { id: build, title: Build, run: "true" }
rollback:
  triggers:
    - { id: svc-down, title: Svc down, alertmanager: { match: { service: svc } } }
  steps:
    - { id: undo, title: Undo, run: "true" }
escalation: { levels: [{ id: L1, notify: [ops], respond_within: 15m }] }
`;
const TOKEN = 'webhook-token-5f3a';

let redis: TestRedis;
let bot: RunningBot;
let dir: string;

beforeAll(async () => {
  redis = await startTestRedis();
  dir = await mkdtemp(join(tmpdir(), 'preflight-webhook-metrics-'));
  await writeFile(join(dir, 'runbook.yaml'), RUNBOOK);
  bot = await spawnStart({
    REDIS_URL: redis.url,
    RUNBOOK: join(dir, 'runbook.yaml'),
    LOG_LEVEL: 'silent',
    ALERTMANAGER_WEBHOOK_TOKEN: TOKEN,
  });
}, 30_000);

afterAll(async () => {
  await bot?.stop();
  await redis?.stop();
  if (dir) await rm(dir, { recursive: true, force: true });
});

const post = (body: string, token = TOKEN) =>
  fetch(`${bot.base}/webhooks/alertmanager`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
    body,
  });

const webhooks = () => webhookCounts(bot.base);

describe('/metrics and the Alertmanager webhook', () => {
  it('counts each request by what became of it, every outcome at 0 before any', async () => {
    expect(await webhooks()).toEqual({
      accepted: 0,
      left_out: 0,
      unauthorized: 0,
      invalid: 0,
      too_large: 0,
      cut_off: 0,
      unavailable: 0,
    });
    const firing = alertPayload('SvcDown', [
      { name: 'SvcDown', fingerprint: 'a1', labels: { service: 'svc' } },
    ]);
    const qa = alertPayload('SvcDown', [
      { name: 'SvcDown', fingerprint: 'q1', labels: { service: 'svc', environment: 'qa' } },
    ]);
    expect((await post(JSON.stringify(firing))).status).toBe(200);
    expect(await (await post(JSON.stringify(qa))).json()).toMatchObject({ matched: 0 });
    expect((await post(JSON.stringify(firing), 'wrong')).status).toBe(401);
    expect((await post('{"version":"4"}')).status).toBe(400);
    expect((await post(' '.repeat(2_000_000))).status).toBe(413);
    expect(await webhooks()).toEqual({
      accepted: 1,
      left_out: 1,
      unauthorized: 1,
      invalid: 1,
      too_large: 1,
      cut_off: 0,
      unavailable: 0,
    });
  });
});
