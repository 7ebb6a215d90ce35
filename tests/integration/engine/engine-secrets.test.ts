import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Harness, startHarness } from '../../helpers/engine-harness.ts';
import { engineRunbook } from '../../helpers/engine-runbooks.ts';
import { startTestRedis, type TestRedis } from '../../helpers/redis-server.ts';

const SECRET = 'hunter2-Sup3r-S3cret-Value';
/** Characters that URL and base64 encodings change, so each encoded form differs from the value. */
const ODD_SECRET = 'p@ss/w+rd&key=Zq9-XYZ secret!!';
const ENCODED = [
  Buffer.from(ODD_SECRET).toString('base64'),
  Buffer.from(ODD_SECRET).toString('base64url'),
  encodeURIComponent(ODD_SECRET),
  new URLSearchParams({ k: ODD_SECRET }).toString().slice(2),
  Buffer.from(ODD_SECRET).toString('hex'),
  Buffer.from(`user:${ODD_SECRET}`).toString('base64'),
];
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

/** Runs one failing step with DEPLOY_TOKEN set to `secret`, and waits until its result has been delivered. */
async function runLeak(steps: string, secret: string) {
  await h?.stop();
  h = await startHarness({
    runbook: engineRunbook(steps, 'requires: { env: [DEPLOY_TOKEN] }'),
    redisUrl: redis.url,
    env: { DEPLOY_TOKEN: secret },
  });
  const started = await h.start('v1.0.0');
  if (!started.ok) throw started.error;
  await h.apply(started.deployment.id, { type: 'gate.approve', gate: 'go', by: 'ben' });
  const d = await h.waitFor(started.deployment.id, (x) => x.state === 'failed');
  await h.preflight.jobs.relay.idle();
  return {
    tail: d.steps[0]?.outputTail ?? '',
    posted: JSON.stringify(h.deliveries),
    logs: h.logs.join('\n'),
  };
}

describe('a secret planted in step output', () => {
  it('is never stored, logged or posted', async () => {
    const steps = [
      `    - { id: leak, title: Leak, needs: [go], run: 'echo "token is $DEPLOY_TOKEN"; echo "url postgres://app:$DEPLOY_TOKEN@db/x" >&2; exit 1', on_failure: stop }`,
    ].join('\n');
    const { tail, posted, logs } = await runLeak(steps, SECRET);
    expect(tail).toContain('token is [REDACTED]');
    expect(tail).not.toContain(SECRET);
    const stored = await dumpRedis(redis.url);
    expect(stored).toContain('token is [REDACTED]');
    expect(stored).not.toContain(SECRET);
    expect(logs).toContain('"line":"token is [REDACTED]"');
    expect(logs).not.toContain(SECRET);
    expect(posted).not.toContain(SECRET);
  });

  it('is redacted in the step output, the thread and the logs when the step prints it encoded', async () => {
    const printEncoded = [
      'printf %s "$DEPLOY_TOKEN" | base64',
      'printf %s "$DEPLOY_TOKEN" | base64 | tr "+/" "-_" | tr -d =',
      `node -e 'const s = process.env.DEPLOY_TOKEN; console.log(encodeURIComponent(s)); console.log(new URLSearchParams({ k: s }).toString())'`,
      'printf %s "$DEPLOY_TOKEN" | od -An -tx1 | tr -d " \\n"; echo',
      'printf "user:%s" "$DEPLOY_TOKEN" | base64',
      'exit 1',
    ].join('; ');
    const steps = `    - id: leak
      title: Leak
      needs: [go]
      on_failure: stop
      run: |
        ${printEncoded}`;
    const { tail, posted, logs } = await runLeak(steps, ODD_SECRET);
    expect(tail.split('\n').filter((line) => line.includes('[REDACTED]'))).toHaveLength(6);
    for (const form of [ODD_SECRET, ...ENCODED]) {
      expect(tail).not.toContain(form);
      expect(posted).not.toContain(form);
      expect(logs).not.toContain(form);
    }
    expect(posted).toContain('[REDACTED]');
  });
});

describe('a secret only the runbook a deployment started with requires', () => {
  it('is redacted when the deployment goes on after the bot restarted on a runbook that no longer requires it', async () => {
    await h?.stop();
    const leak = `    - { id: leak, title: Leak, needs: [go], run: 'echo "token is $OLD_TOKEN"; exit 1', on_failure: stop }`;
    const env = { OLD_TOKEN: SECRET };
    const first = await startHarness({
      runbook: engineRunbook(leak, 'requires: { env: [OLD_TOKEN] }'),
      redisUrl: redis.url,
      env,
      work: false,
    });
    const started = await first.start('v1.0.0');
    if (!started.ok) throw started.error;
    await first.stop();
    // The runbook file no longer names OLD_TOKEN; the deployment keeps the runbook it started with.
    h = await startHarness({
      runbook: engineRunbook(`    - { id: other, title: Other, needs: [go], run: 'true' }`),
      redisUrl: redis.url,
      env,
      prefix: first.prefix,
    });
    await h.apply(started.deployment.id, { type: 'gate.approve', gate: 'go', by: 'ben' });
    const d = await h.waitFor(started.deployment.id, (x) => x.state === 'failed');
    await h.preflight.jobs.relay.idle();
    expect(d.steps[0]?.outputTail).toBe('token is [REDACTED]');
    expect(JSON.stringify(h.deliveries)).not.toContain(SECRET);
    expect(h.logs.join('\n')).not.toContain(SECRET);
  });
});
