/**
 * With ALERTMANAGER_WEBHOOK_TOKEN set, `preflight start` takes Alertmanager's webhook only with that bearer token:
 * anyone else who reaches the port gets 401, told what to set, and opens no incident (nobody is paged for it);
 * Alertmanager, configured with the token, opens the incident as before. The token never reaches the log.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createRedisIncidentStore } from '../../src/infra/redis/redis-incident-store.ts';
import { repoRoot } from '../helpers/load-runbook.ts';
import { startTestRedis, type TestRedis } from '../helpers/redis-server.ts';
import { copySandbox, type SandboxCopy } from '../helpers/sandbox-copy.ts';
import { type RunningBot, spawnStart } from '../helpers/spawn-start.ts';
import { toyDownAlert } from '../helpers/toy-alert.ts';

const TOKEN = 'am-webhook-3f9c2b7e41d8a6055c1e';
let redis: TestRedis;
let sandbox: SandboxCopy;
let bot: RunningBot;

beforeAll(async () => {
  redis = await startTestRedis();
  sandbox = await copySandbox();
  bot = await spawnStart({
    REDIS_URL: redis.url,
    RUNBOOK: join(sandbox.dir, 'runbook.yaml'),
    ALERTMANAGER_WEBHOOK_TOKEN: TOKEN,
    LOG_LEVEL: 'info',
  });
}, 30_000);

afterAll(async () => {
  await bot?.stop();
  await sandbox?.remove();
  await redis?.stop();
});

const toyAlert = toyDownAlert(
  JSON.parse(
    readFileSync(join(repoRoot, 'tests/fixtures/alertmanager/webhook-v4-firing.json'), 'utf8'),
  ) as Record<string, unknown>,
);

const post = (authorization?: string) =>
  fetch(`${bot.base}/webhooks/alertmanager`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...(authorization && { authorization }) },
    body: JSON.stringify(toyAlert),
  });

async function openIncidents() {
  const client = new Redis(redis.url);
  try {
    return await createRedisIncidentStore({ redis: client }).list({ openOnly: true, limit: 10 });
  } finally {
    client.disconnect();
  }
}

describe('the Alertmanager webhook with a token', () => {
  it('refuses a request without the token, or with another, and opens nothing', async () => {
    for (const header of [undefined, `Bearer ${TOKEN}x`, `Basic ${TOKEN}`, 'Bearer ']) {
      const answer = await post(header);
      expect(answer.status).toBe(401);
      expect(await answer.json()).toEqual({
        error:
          "the webhook needs Authorization: Bearer <ALERTMANAGER_WEBHOOK_TOKEN>: set it in Alertmanager's webhook_config (http_config.authorization.credentials)",
      });
    }
    expect(await openIncidents()).toEqual([]);
  });

  it('opens the incident for Alertmanager, which sends the token', async () => {
    const answer = await post(`Bearer ${TOKEN}`);
    expect(answer.status).toBe(200);
    expect(await answer.json()).toEqual({ matched: 1, incidents: ['INC-1'] });
    expect((await openIncidents()).map((i) => i.id)).toEqual(['INC-1']);
    expect(bot.stdout()).toContain('alertmanager webhook refused');
    expect(`${bot.stdout()}${bot.stderr()}`).not.toContain(TOKEN);
  });
});
