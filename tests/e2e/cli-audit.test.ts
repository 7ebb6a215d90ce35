import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createKeySpace } from '../../src/core/index.ts';
import { type Harness, startHarness } from '../helpers/engine-harness.ts';
import { engineRunbook, LOG_RUN } from '../helpers/engine-runbooks.ts';
import { repoRoot } from '../helpers/load-runbook.ts';
import { startTestRedis, type TestRedis } from '../helpers/redis-server.ts';

let redis: TestRedis;
let h: Harness;
let id: string;

beforeAll(async () => {
  redis = await startTestRedis();
  h = await startHarness({
    runbook: engineRunbook(`    - { id: one, title: One, needs: [go], run: '${LOG_RUN}' }`),
    redisUrl: redis.url,
    prefix: 'pf:',
  });
  const started = await h.start('v1.0.0');
  if (!started.ok) throw started.error;
  id = started.deployment.id;
  await h.apply(id, { type: 'gate.approve', gate: 'go', by: 'ben' });
  await h.waitFor(id, (d) => d.state === 'succeeded');
}, 30_000);

afterAll(async () => {
  await h?.stop();
  await redis?.stop();
});

/** Another deployment, run to success; its id. */
async function succeeded(version: string): Promise<string> {
  const started = await h.start(version);
  if (!started.ok) throw started.error;
  await h.apply(started.deployment.id, { type: 'gate.approve', gate: 'go', by: 'ben' });
  await h.waitFor(started.deployment.id, (d) => d.state === 'succeeded');
  return started.deployment.id;
}

function audit(...args: string[]) {
  return auditWith(join(h.dir, 'runbook.yaml'), ...args);
}

function auditWith(runbook: string, ...args: string[]) {
  return spawnSync(`${repoRoot}node_modules/.bin/node`, ['bin/preflight.js', 'audit', ...args], {
    cwd: repoRoot,
    encoding: 'utf8',
    env: { ...process.env, REDIS_URL: redis.url, RUNBOOK: runbook, LOG_LEVEL: 'silent' },
  });
}

describe('preflight audit', () => {
  it('exports the log as JSON lines, each chained to the one before', () => {
    const result = audit('export', id);
    expect(result.status).toBe(0);
    const records = result.stdout
      .trim()
      .split('\n')
      .map((line) => JSON.parse(line) as { seq: number; type: string; prev: string; hash: string });
    expect(records.map((r) => r.type)).toEqual(
      expect.arrayContaining([
        'deployment.requested',
        'gate.approved',
        'deployment.authorized',
        'step.succeeded',
        'deployment.succeeded',
      ]),
    );
    records.forEach((r, i) => {
      expect(r.seq).toBe(i + 1);
      if (i > 0) expect(r.prev).toBe(records[i - 1]?.hash);
    });
  });

  it('exports a record stored before its credential was recognised with the credential redacted', async () => {
    // An older version, whose redactor did not know htpasswd's batch mode, stored the reason as typed.
    const older = await succeeded('v7.0.0');
    const client = new Redis(redis.url);
    const key = createKeySpace('pf:').audit(older);
    const second = JSON.parse((await client.lindex(key, 1)) ?? '{}') as Record<string, unknown>;
    await client.lset(
      key,
      1,
      JSON.stringify({ ...second, note: 'ran htpasswd -b /etc/.htpasswd ops HtS3cretPw' }),
    );
    client.disconnect();
    const result = audit('export', older);
    expect(result.status).toBe(0);
    expect(result.stdout).not.toContain('HtS3cretPw');
    const records = result.stdout
      .trim()
      .split('\n')
      .map((line) => JSON.parse(line) as { note?: string });
    expect(records[1]?.note).toBe('ran htpasswd -b /etc/.htpasswd ops [REDACTED]');
  });

  it('verifies an intact log, and names the record someone edited', async () => {
    // The log is in Redis: RUNBOOK pointing nowhere (a machine that only audits) does not matter.
    const elsewhere = auditWith('/nonexistent/runbook.yaml', 'verify', id);
    expect(elsewhere.stderr).toBe('');
    expect(elsewhere.status).toBe(0);
    const intact = audit('verify', id);
    expect(intact.status).toBe(0);
    expect(intact.stdout).toMatch(
      new RegExp(
        `^${id}: audit log intact: \\d+ records, last deployment.succeeded at .+, head [0-9a-f]{16}\\n$`,
      ),
    );
    const client = new Redis(redis.url);
    const key = createKeySpace('pf:').audit(id);
    const third = JSON.parse((await client.lindex(key, 2)) ?? '{}') as { actor: string };
    await client.lset(key, 2, JSON.stringify({ ...third, actor: 'mallory' }));
    client.disconnect();
    const tampered = audit('verify', id);
    expect(tampered.status).toBe(1);
    expect(tampered.stderr).toBe(
      `${id}: audit log TAMPERED at record 3: its content does not match its hash (it was edited)\n`,
    );
  });

  it('counts a log of one record as "1 record"', async () => {
    const locked = await h.preflight.chat.dispatcher.command({
      platform: 'console',
      userId: 'ann',
      channel: '#deploy',
      text: '/deploy lock svc staging load test',
    });
    expect(locked?.text).toMatch(/^🔒 svc staging locked by Ann/);
    const intact = audit('verify', 'lock:svc:staging');
    expect(intact.stdout).toMatch(/^lock:svc:staging: audit log intact: 1 record, last lock\.taken at /);
    expect(intact.status).toBe(0);
  });

  it('takes the service of a lock or service id in any case, as chat does', () => {
    const shouted = audit('verify', 'Lock:SVC:staging');
    expect(shouted.stdout).toMatch(/^lock:svc:staging: audit log intact: 1 record, last lock\.taken at /);
    expect(shouted.status).toBe(0);
  });

  it('takes a deployment or an incident id in any case, as chat does', async () => {
    const id = await succeeded('v4.0.0');
    const opened = await h.preflight.chat.dispatcher.command({
      platform: 'console',
      userId: 'ann',
      channel: '#deploy',
      text: `/incident open ${id} the shop is down`,
    });
    const incident = /^🚨 (INC-\d+) opened/.exec(opened?.text ?? '')?.[1] ?? '';
    expect(incident).not.toBe('');

    const shouted = audit('verify', id.toUpperCase());
    expect(shouted.stdout).toMatch(new RegExp(`^${id}: audit log intact: `));
    expect(shouted.status).toBe(0);
    const lower = audit('verify', incident.toLowerCase());
    expect(lower.stdout).toMatch(new RegExp(`^${incident}: audit log intact: `));
    expect(lower.status).toBe(0);
    const exported = audit('export', incident.toLowerCase());
    expect(exported.stdout.split('\n')[0]).toContain(`"deployment":"${incident}"`);
  });

  it('reports a record or a head overwritten with something that is not one, instead of crashing', async () => {
    const other = await succeeded('v1.0.2');
    const client = new Redis(redis.url);
    const keys = createKeySpace('pf:');
    const original = (await client.lindex(keys.audit(other), 3)) ?? '';
    for (const garbage of ['garbage{', 'null']) {
      await client.lset(keys.audit(other), 3, garbage);
      const result = audit('verify', other);
      expect(result.stderr).toBe(
        `${other}: audit log TAMPERED at record 4: it is not a readable record (it was overwritten)\n`,
      );
      expect(result.status).toBe(1);
    }
    await client.lset(keys.audit(other), 3, original);
    await client.set(keys.auditHead(other), 'xx');
    const head = audit('verify', other);
    expect(head.stderr).toMatch(
      /TAMPERED at record \d+: the head kept for the log is unreadable \(it was overwritten\)\n$/,
    );
    expect(head.status).toBe(1);
    client.disconnect();
  });

  it('reports a log or a head replaced by another kind of Redis value as tampered, not as Redis out of reach', async () => {
    const other = await succeeded('v1.0.4');
    const client = new Redis(redis.url);
    const keys = createKeySpace('pf:');
    await client.rename(keys.audit(other), `${keys.audit(other)}:kept`);
    await client.set(keys.audit(other), 'nothing to see');
    for (const action of ['verify', 'export']) {
      const result = audit(action, other);
      expect(result.stderr).toBe(
        `${other}: audit log TAMPERED: its log was replaced by another kind of value (it was overwritten)\n`,
      );
      expect(result.status).toBe(1);
    }
    await client.del(keys.audit(other));
    await client.rename(`${keys.audit(other)}:kept`, keys.audit(other));
    await client.del(keys.auditHead(other));
    await client.rpush(keys.auditHead(other), 'x');
    const head = audit('verify', other);
    expect(head.stderr).toBe(
      `${other}: audit log TAMPERED: its head was replaced by another kind of value (it was overwritten)\n`,
    );
    expect(head.status).toBe(1);
    client.disconnect();
  });

  it('shows a removed tail: the last record, then the whole log', async () => {
    const other = await succeeded('v1.0.1');
    const client = new Redis(redis.url);
    const key = (await client.keys(`*:audit:${other}`))[0] ?? '';
    const count = await client.llen(key);
    await client.rpop(key);
    const cut = audit('verify', other);
    expect(cut.stderr).toBe(
      `${other}: audit log TAMPERED at record ${count}: the log ends at record ${count - 1}, but ${count} were written: the last record was removed\n`,
    );
    expect(cut.status).toBe(1);
    await client.del(key);
    client.disconnect();
    const gone = audit('verify', other);
    expect(gone.stderr).toBe(
      `${other}: audit log TAMPERED at record 1: the log ends at record 0, but ${count} were written: the last ${count} records were removed\n`,
    );
    expect(gone.status).toBe(1);
  });

  it('does not pass a log whose head was deleted, and says when the log and its head are both gone', async () => {
    const other = await succeeded('v1.0.3');
    const client = new Redis(redis.url);
    const keys = createKeySpace('pf:');
    const count = await client.llen(keys.audit(other));
    // The tail cut and the head deleted with it: the records left still link up.
    await client.rpop(keys.audit(other));
    await client.del(keys.auditHead(other));
    const headless = audit('verify', other);
    expect(headless.stderr).toBe(
      `${other}: audit log UNCONFIRMED: its ${count - 1} records link up, but the head kept apart from them is missing (deleted, or never written), so records removed from its end would not show\n`,
    );
    expect(headless.status).toBe(1);
    await client.del(keys.audit(other));
    client.disconnect();
    const removed = audit('verify', other);
    expect(removed.stderr).toBe(
      `preflight: ${other}: audit log REMOVED: ${other} exists, but its audit log and the head kept apart from it are both gone\n`,
    );
    expect(removed.status).toBe(1);
  });

  it('refuses an empty or a kilobytes-long id as a usage error, without quoting it back', () => {
    const usage =
      'give a deployment id (sparkle-12), an incident id (INC-3), service:<name> (refusals for a service) or lock:<service>:<environment>';
    const empty = audit('verify', ' ');
    expect(empty.stderr).toBe(`preflight: audit verify: the id is empty; ${usage}\n`);
    expect(empty.status).toBe(2);
    const long = audit('export', 'x'.repeat(5000));
    expect(long.stderr).toBe(`preflight: audit export: the id is 5,000 characters, at most 200; ${usage}\n`);
    expect(long.status).toBe(2);
    expect(long.stdout).toBe('');
  });

  it("says what Redis's settings would lose in one readable line each, audit and console alike, never as a JSON log line", async () => {
    const fresh = await succeeded('v9.0.0');
    const admin = new Redis(redis.url);
    const run = (...args: string[]) =>
      spawnSync(`${repoRoot}node_modules/.bin/node`, ['bin/preflight.js', ...args], {
        cwd: repoRoot,
        encoding: 'utf8',
        input: '',
        env: { ...process.env, REDIS_URL: redis.url, RUNBOOK: join(h.dir, 'runbook.yaml'), LOG_LEVEL: '' },
      });
    const said =
      'preflight: warning: Redis maxmemory-policy is allkeys-lru: under memory pressure it may delete deployments, approvals and pending pages; set maxmemory-policy noeviction\n' +
      'preflight: warning: Redis appendonly is off: a Redis restart loses what Preflight wrote since the last snapshot; set appendonly yes (appendfsync everysec)\n';
    try {
      await admin.call('CONFIG', 'SET', 'maxmemory-policy', 'allkeys-lru');
      await admin.call('CONFIG', 'SET', 'appendonly', 'no');
      const verify = run('audit', 'verify', fresh);
      expect([verify.stderr, verify.status]).toEqual([said, 0]);
      expect(verify.stdout).toMatch(new RegExp(`^${fresh}: audit log intact: `));
      const exported = run('audit', 'export', fresh);
      expect([exported.stderr, exported.status]).toEqual([said, 0]);
      // The terminal chat logs to a file: what the person must know is said where they look.
      const chat = run('console', '--as', 'ann');
      expect([chat.stderr, chat.status]).toEqual([said, 0]);
    } finally {
      await admin.call('CONFIG', 'SET', 'maxmemory-policy', 'noeviction');
      await admin.call('CONFIG', 'SET', 'appendonly', 'yes');
      admin.disconnect();
    }
  });

  it('says what to do with an unknown id', () => {
    const result = audit('verify', 'nope-1');
    expect(result.status).toBe(1);
    expect(result.stderr).toBe(
      'preflight: no audit log for "nope-1"; give a deployment id (sparkle-12), an incident id (INC-3), service:<name> (refusals for a service) or lock:<service>:<environment>\n',
    );
  });
});
