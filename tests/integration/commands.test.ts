import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { plainLiterals } from '../../src/core/index.ts';
import { type Harness, startHarness } from '../helpers/engine-harness.ts';
import { engineRunbook, LOG_RUN } from '../helpers/engine-runbooks.ts';
import { startTestRedis, type TestRedis } from '../helpers/redis-server.ts';

let redis: TestRedis;
let h: Harness;
beforeAll(async () => {
  redis = await startTestRedis();
  h = await startHarness({
    runbook: engineRunbook(`    - { id: one, title: One, needs: [go], run: '${LOG_RUN}' }`),
    redisUrl: redis.url,
  });
});
afterAll(async () => {
  await h?.stop();
  await redis?.stop();
});

async function say(user: string, text: string): Promise<string> {
  const reply = await h.preflight.chat.dispatcher.command({
    platform: 'console',
    userId: user,
    channel: '#deploy',
    text,
  });
  // As the terminal shows it: outside text (a reason) as written.
  return plainLiterals(reply?.text ?? '');
}

describe('manual locks', () => {
  it('hold deployments off, say who holds them, and record a forced unlock', async () => {
    expect(await say('ben', '/deploy lock svc production db maintenance --for=30m')).toBe(
      '🔒 svc production locked by Ben for 30m: db maintenance. /deploy unlock svc production to release it.',
    );
    expect(await say('ann', '/deploy start svc v1.0.0')).toBe(
      '⚠️ svc production is locked by Ben for another 30m: db maintenance. Ask them, or /deploy unlock svc production',
    );
    expect(await say('ann', '/deploy lock svc production again')).toBe(
      '⚠️ svc production is already locked by Ben (db maintenance)',
    );
    expect(await say('ann', '/deploy unlock svc production')).toBe(
      '🔓 svc production unlocked (forced: it was Ben\'s lock, "db maintenance"; recorded in the audit log).',
    );
    const audit = await h.preflight.engine.store.audit('lock:svc:production');
    expect(audit.map((r) => [r.type, r.actor])).toEqual([
      ['lock.taken', 'ben'],
      ['lock.forced_unlock', 'ann'],
    ]);
    expect(await say('ann', '/deploy unlock svc production')).toBe('⚠️ svc production is not locked');
    expect(await say('ann', '/deploy start svc v1.0.0')).toMatch(
      /^Starting svc-\d+: svc v1\.0\.0 → production\./,
    );
  });
});

describe('one request handled twice at the same time', () => {
  const twice = (user: string, text: string, request: string) =>
    Promise.all(
      [1, 2].map(async () => {
        const reply = await h.preflight.chat.dispatcher.command({
          platform: 'console',
          userId: user,
          channel: '#deploy',
          text,
          request,
        });
        return plainLiterals(reply?.text ?? '');
      }),
    );

  it('takes and releases the lock once, and both handlings say what it did', async () => {
    expect(
      await twice('ben', '/deploy lock svc staging freeze --for=30m', 'slack:command:twice-lock'),
    ).toEqual([
      '🔒 svc staging locked by Ben for 30m: freeze. /deploy unlock svc staging to release it.',
      '🔒 svc staging locked by Ben for 30m: freeze. /deploy unlock svc staging to release it.',
    ]);
    expect(await twice('ben', '/deploy unlock svc staging', 'slack:command:twice-unlock')).toEqual([
      '🔓 svc staging unlocked.',
      '🔓 svc staging unlocked.',
    ]);
    const audit = await h.preflight.engine.store.audit('lock:svc:staging');
    expect(audit.map((r) => [r.type, r.actor])).toEqual([
      ['lock.taken', 'ben'],
      ['lock.released', 'ben'],
    ]);
  });
});

describe('what a user gets wrong', () => {
  it('names the services and environments there are', async () => {
    expect(await say('ann', '/deploy start nope v1.0.0')).toBe(
      '⚠️ there is no runbook for "nope"; Preflight deploys svc',
    );
    expect(await say('ann', '/deploy start svd v1.0.0')).toBe(
      '⚠️ there is no runbook for "svd" (did you mean "svc"?); Preflight deploys svc',
    );
    expect(await say('ann', '/deploy start svc v1.0.0 prod')).toBe(
      '⚠️ unknown environment "prod"; this runbook deploys to production, staging',
    );
    expect(await say('ann', '/deploy start svc 1.0')).toBe(
      '⚠️ "1.0" does not match this runbook\'s version pattern v\\d+\\.\\d+\\.\\d+',
    );
    expect(await say('zed', '/deploy start svc v1.0.0')).toBe(
      '⚠️ "zed" is not among the people of the svc runbook, so Preflight does not know who you are there; ask a maintainer to add you under people: — in the svc runbook only Ann, Ben may start a deployment (permissions.deploy)',
    );
    // An option that takes a value says how to write it, on every command that has one.
    expect(await say('ann', '/incident open svc --environment staging db down')).toBe(
      '⚠️ --environment takes its name after "=", like --environment=production. Usage: /incident open [<deployment>|<service> [<environment>]] <what happened> [--environment=<environment>]',
    );
    expect(await say('ann', '/incident open svc --environment=prod db down')).toBe(
      '⚠️ svc has no environment "prod" (its runbook has production, staging)',
    );
    // A service named where a deployment is meant: its deployments, not everyone's.
    expect(await say('ann', '/deploy status svc')).toMatch(
      /^⚠️ "svc" is a service, not a deployment: name one of its deployments \(svc-\d+(, svc-\d+)*\), or see \/deploy history svc$/,
    );
  });
});

describe('an incident told in too many words', () => {
  it('is refused naming what happened, as one word or many, and the target by what it is', async () => {
    const usage =
      'Usage: /incident open [<deployment>|<service> [<environment>]] <what happened> [--environment=<environment>]';
    expect(await say('ann', `/incident open svc staging "${'x'.repeat(600)}"`)).toBe(
      `⚠️ what happened is 600 characters; at most 500. ${usage}`,
    );
    expect(await say('ann', `/incident open svc ${Array(30).fill('everything-is-down').join(' ')}`)).toBe(
      `⚠️ what happened is 569 characters; at most 500. ${usage}`,
    );
    expect(await say('ann', `/incident open ${'s'.repeat(64)} down`)).toBe(
      `⚠️ deployment or service is 64 characters; at most 63. ${usage}`,
    );
    expect(await h.preflight.engine.incidents.list({ limit: 10 })).toEqual([]);
  });
});

describe('a lock reason with a credential in it', () => {
  it('is masked in the lock, the reply and the audit log, and cannot ping or forge a line', async () => {
    const taken = await say(
      'ben',
      '/deploy lock svc staging db password=hunter2 key AKIAIOSFODNN7EXAMPLE @{cat}\u202e --for=30m',
    );
    expect(taken).toContain('locked by Ben for 30m: db password=');
    expect(await say('ann', '/deploy unlock svc staging done, token=s3cr3tvalue')).toContain('unlocked');
    // After the test above, which released its staging lock: the records of this lock follow its two.
    const audit = JSON.stringify((await h.preflight.engine.store.audit('lock:svc:staging')).slice(2));
    for (const text of [taken, audit]) {
      expect(text).not.toContain('hunter2');
      expect(text).not.toContain('AKIAIOSFODNN7EXAMPLE');
      expect(text).not.toContain('@{cat}');
      expect(text).not.toContain('\u202e');
    }
    expect(audit).not.toContain('s3cr3tvalue');
    expect(audit).toContain('@ {cat}');
  });
});

describe('a manual lock for a very long time', () => {
  it('is refused past 365d with what the limit is, and a long one says how long it has left in days', async () => {
    expect(await say('ben', '/deploy lock svc staging --for=99999999999999999d')).toBe(
      '⚠️ --for may be at most 365d; found "99999999999999999d". Usage: /deploy lock <service> <environment> [reason] [--for=2h]',
    );
    expect(await say('ben', '/deploy lock svc staging --for=366d')).toMatch(
      /^⚠️ --for may be at most 365d; found "366d"\./,
    );
    // A lock for no time at all is a duration, and said to be too short, not "not a duration".
    expect(await say('ben', '/deploy lock svc staging --for=0s')).toBe(
      '⚠️ --for must be longer than 0s; found "0s". Usage: /deploy lock <service> <environment> [reason] [--for=2h]',
    );
    // A duration typed as a separate word, or twice, is said as such: not "unknown option".
    expect(await say('ben', '/deploy lock svc staging freeze --for 2h')).toBe(
      '⚠️ --for takes its duration after "=", like --for=2h. Usage: /deploy lock <service> <environment> [reason] [--for=2h]',
    );
    expect(await say('ben', '/deploy lock svc staging freeze --for=2h --for=3h')).toMatch(
      /^⚠️ --for is given more than once: give one duration\./,
    );
    expect(await say('ben', '/deploy lock svc staging freeze --for=7d')).toBe(
      '🔒 svc staging locked by Ben for 7d: freeze. /deploy unlock svc staging to release it.',
    );
    expect(await say('ann', '/deploy start svc v1.0.0 staging')).toBe(
      '⚠️ svc staging is locked by Ben for another 7d: freeze. Ask them, or /deploy unlock svc staging',
    );
    expect(await say('ben', '/deploy unlock svc staging')).toMatch(/^🔓 svc staging unlocked/);
  });
});

describe('/incident open with a word after the service', () => {
  it('reads it as the environment only when the runbook has one by that name, and says which one it opened for', async () => {
    const opened = await say('ann', '/incident open svc mars boom');
    expect(opened).toMatch(/^🚨 INC-\d+ opened in .* for svc production; paging L1\.$/);
    const staging = await say('ann', '/incident open svc staging db down');
    expect(staging).toMatch(/^🚨 INC-\d+ opened in .* for svc staging; paging L1\.$/);
    const incidents = await h.preflight.engine.incidents.list({ limit: 10 });
    expect(incidents.map((i) => [i.environment, i.title]).sort()).toEqual([
      ['production', 'mars boom'],
      ['staging', 'db down'],
    ]);
  });
});

describe('a person the runbook does not know', () => {
  it('is told who may lock, unlock or deploy, to pass it on', async () => {
    const refusals = await Promise.all(
      ['/deploy lock svc staging freeze', '/deploy unlock svc staging', '/deploy start svc v1.0.0'].map(
        (text) => say('mallory', text),
      ),
    );
    const unknown = '"mallory" is not among the people of the svc runbook';
    expect(refusals.every((r) => r.startsWith(`⚠️ ${unknown}`))).toBe(true);
    expect(refusals.map((r) => r.slice(r.indexOf(' — in the svc runbook')))).toEqual([
      ' — in the svc runbook only Ann, Ben may lock deployments (permissions.lock)',
      ' — in the svc runbook only Ann, Ben may unlock deployments (permissions.lock)',
      ' — in the svc runbook only Ann, Ben may start a deployment (permissions.deploy)',
    ]);
  });
});
