/**
 * Credentials that are none of the bot's known secrets, printed by a failing step: their shape gives them away, and
 * they are redacted in the stored tail, the thread and the logs, while ordinary output next to them stays.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Harness, startHarness } from '../../helpers/engine-harness.ts';
import { engineRunbook } from '../../helpers/engine-runbooks.ts';
import { startTestRedis, type TestRedis } from '../../helpers/redis-server.ts';

/** [line the step prints, the credential in it]. */
const LEAKS: ReadonlyArray<readonly [string, string]> = [
  ['mysql -u root -pMyS3cretPass shop', 'MyS3cretPass'],
  ['mysqldump -uroot -pDumpS3cret shop', 'DumpS3cret'],
  ['curl -u admin:CurlS3cret https://api.local/x', 'CurlS3cret'],
  ['curl --user deploy:UserS3cret https://api.local/x', 'UserS3cret'],
  ['redis-cli -a RedisS3cret ping', 'RedisS3cret'],
  ['sshpass -p SshS3cret ssh deploy@host', 'SshS3cret'],
  ['docker login -u bot -p DockerS3cret registry.local', 'DockerS3cret'],
  ['htpasswd -bc /etc/nginx/.htpasswd admin HtpS3cret', 'HtpS3cret'],
  ['vault login hvs.VaultS3cretToken', 'VaultS3cretToken'],
  ['< Set-Cookie: sid=CookieS3cret42; Path=/', 'CookieS3cret42'],
  ['the new password is Pr0seS3cret', 'Pr0seS3cret'],
];
/** Lines with nothing secret in them, which must reach chat as printed. */
const INNOCENT = [
  'ssh -p 2222 deploy@host',
  'mysql -u root -p shop',
  'password reset ok',
  'password policy updated',
  'token bucket refilled',
];

let redis: TestRedis;
let h: Harness | undefined;
beforeAll(async () => {
  redis = await startTestRedis();
});
afterAll(async () => {
  await h?.stop();
  await redis.stop();
});

describe('a credential by its shape in a failing step', () => {
  it('is redacted in the output tail, the thread and the logs; innocent lines stay', async () => {
    const lines = [...LEAKS.map(([line]) => line), ...INNOCENT];
    const run = `${lines.map((line) => `echo '${line}' >&2`).join('; ')}; exit 1`;
    h = await startHarness({
      runbook: engineRunbook(`    - id: leak
      title: Leak
      needs: [go]
      on_failure: stop
      run: |
        ${run}`),
      redisUrl: redis.url,
    });
    const started = await h.start('v1.0.0');
    if (!started.ok) throw started.error;
    await h.apply(started.deployment.id, { type: 'gate.approve', gate: 'go', by: 'ben' });
    const d = await h.waitFor(started.deployment.id, (x) => x.state === 'failed');
    await h.preflight.jobs.relay.idle();
    const tail = d.steps[0]?.outputTail ?? '';
    const posted = JSON.stringify(h.deliveries);
    const logs = h.logs.join('\n');
    for (const [, secret] of LEAKS) {
      expect(tail).not.toContain(secret);
      expect(posted).not.toContain(secret);
      expect(logs).not.toContain(secret);
    }
    expect(tail).toContain('curl -u admin:[REDACTED] https://api.local/x');
    expect(tail).toContain('mysql -u root -p[REDACTED] shop');
    for (const line of INNOCENT) expect(tail).toContain(line);
    expect(posted).toContain('ssh -p 2222 deploy@host');
  });

  it('is redacted in a rejection reason someone typed, in the deployment and its audit log', async () => {
    await h?.stop();
    h = await startHarness({
      runbook: engineRunbook(`    - { id: s, title: S, needs: [go], run: 'true' }`),
      redisUrl: redis.url,
    });
    const started = await h.start('v1.0.0');
    if (!started.ok) throw started.error;
    const id = started.deployment.id;
    const reason = 'ran curl -u admin:ReasonS3cret https://api.local/x by hand';
    const rejected = await h.apply(id, { type: 'gate.reject', gate: 'go', by: 'ben', reason });
    if (!rejected.ok) throw rejected.error;
    const audit = JSON.stringify(await h.preflight.engine.store.audit(id));
    expect(audit).toContain('ran curl -u admin:[REDACTED] https://api.local/x by hand');
    expect(audit).not.toContain('ReasonS3cret');
    expect(JSON.stringify(await h.get(id))).not.toContain('ReasonS3cret');
  });
});
