import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Harness, startHarness } from '../../helpers/engine-harness.ts';
import { engineRunbook } from '../../helpers/engine-runbooks.ts';
import { startTestRedis, type TestRedis } from '../../helpers/redis-server.ts';

const SECRET = 'hunter2-Sup3r-S3cret-Value';
let redis: TestRedis;
let h: Harness;
beforeAll(async () => {
  redis = await startTestRedis();
});
afterAll(async () => {
  await h?.stop();
  await redis.stop();
});

/** Every string stored under the prefix, whatever its Redis type. */
async function dumpRedis(url: string): Promise<string> {
  const client = new Redis(url);
  const parts: string[] = [];
  for (const key of await client.keys('*')) {
    const type = await client.type(key);
    if (type === 'string') parts.push((await client.get(key)) ?? '');
    else if (type === 'list') parts.push(...(await client.lrange(key, 0, -1)));
    else if (type === 'hash') parts.push(JSON.stringify(await client.hgetall(key)));
    else if (type === 'set') parts.push(...(await client.smembers(key)));
    else if (type === 'zset') parts.push(...(await client.zrange(key, '0', '-1')));
    else if (type === 'stream') parts.push(JSON.stringify(await client.xrange(key, '-', '+')));
  }
  client.disconnect();
  return parts.join('\n');
}

describe('a secret planted in step output', () => {
  it('is never stored, logged or posted', async () => {
    const steps = [
      `    - { id: leak, title: Leak, needs: [go], run: 'echo "token is $DEPLOY_TOKEN"; echo "url postgres://app:$DEPLOY_TOKEN@db/x" >&2; exit 1', on_failure: stop }`,
    ].join('\n');
    h = await startHarness({
      runbook: engineRunbook(steps, 'requires: { env: [DEPLOY_TOKEN] }'),
      redisUrl: redis.url,
      env: { DEPLOY_TOKEN: SECRET },
    });
    const started = await h.start('v1.0.0');
    if (!started.ok) throw started.error;
    await h.apply(started.deployment.id, { type: 'gate.approve', gate: 'go', by: 'ben' });
    const d = await h.waitFor(started.deployment.id, (x) => x.state === 'failed');
    expect(d.steps[0]?.outputTail).toContain('token is [REDACTED]');
    expect(d.steps[0]?.outputTail).not.toContain(SECRET);
    await h.preflight.jobs.relay.idle();
    const stored = await dumpRedis(redis.url);
    expect(stored).toContain('token is [REDACTED]');
    expect(stored).not.toContain(SECRET);
    const logs = h.logs.join('\n');
    expect(logs).toContain('"line":"token is [REDACTED]"');
    expect(logs).not.toContain(SECRET);
    expect(JSON.stringify(h.deliveries)).not.toContain(SECRET);
  });
});
