import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Harness, startHarness } from '../../helpers/engine-harness.ts';
import { engineRunbook } from '../../helpers/engine-runbooks.ts';
import { startTestRedis, type TestRedis } from '../../helpers/redis-server.ts';

/** Characters that URL and base64 encodings change, so each encoded form differs from the value. */
const SECRET = 'p@ss/w+rd&key=Zq9-XYZ secret!!';
const ENCODED = [
  Buffer.from(SECRET).toString('base64'),
  Buffer.from(SECRET).toString('base64url'),
  encodeURIComponent(SECRET),
  new URLSearchParams({ k: SECRET }).toString().slice(2),
  Buffer.from(SECRET).toString('hex'),
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

describe('a secret a step prints encoded', () => {
  it('is redacted in the step output, the thread and the logs', async () => {
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
    h = await startHarness({
      runbook: engineRunbook(steps, 'requires: { env: [DEPLOY_TOKEN] }'),
      redisUrl: redis.url,
      env: { DEPLOY_TOKEN: SECRET },
    });
    const started = await h.start('v1.0.0');
    if (!started.ok) throw started.error;
    await h.apply(started.deployment.id, { type: 'gate.approve', gate: 'go', by: 'ben' });
    const d = await h.waitFor(started.deployment.id, (x) => x.state === 'failed');
    const tail = d.steps[0]?.outputTail ?? '';
    expect(tail.split('\n').filter((line) => line.includes('[REDACTED]'))).toHaveLength(6);
    await h.preflight.jobs.relay.idle();
    const posted = JSON.stringify(h.deliveries);
    const logs = h.logs.join('\n');
    for (const form of [SECRET, ...ENCODED, Buffer.from(`user:${SECRET}`).toString('base64')]) {
      expect(tail).not.toContain(form);
      expect(posted).not.toContain(form);
      expect(logs).not.toContain(form);
    }
    expect(posted).toContain('[REDACTED]');
  });
});
