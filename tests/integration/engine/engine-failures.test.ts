import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { type Deployment, plainLiterals } from '../../../src/core/index.ts';
import { type Harness, startHarness } from '../../helpers/engine-harness.ts';
import { engineRunbook, LOG_RUN } from '../../helpers/engine-runbooks.ts';
import { isProcessAlive, readPidFile } from '../../helpers/process-alive.ts';
import { startTestRedis, type TestRedis } from '../../helpers/redis-server.ts';

let redis: TestRedis;
let h: Harness | undefined;
beforeAll(async () => {
  redis = await startTestRedis();
});
afterEach(async () => {
  await h?.stop();
  h = undefined;
});
afterAll(async () => {
  await redis.stop();
});

async function begin(steps: string, extra = ''): Promise<{ h: Harness; id: string }> {
  h = await startHarness({ runbook: engineRunbook(steps, extra), redisUrl: redis.url });
  const started = await h.start('v1.0.0');
  if (!started.ok) throw started.error;
  const id = started.deployment.id;
  const approved = await h.apply(id, { type: 'gate.approve', gate: 'go', by: 'ben' });
  if (!approved.ok) throw approved.error;
  return { h, id };
}

const failing = (id: string, onFailure: string, more = '') =>
  `    - { id: ${id}, title: ${id}, needs: [go], run: '${LOG_RUN}; echo "boom on stderr" >&2; exit 3', on_failure: ${onFailure}${more} }`;
const ok = (id: string) => `    - { id: ${id}, title: ${id}, run: '${LOG_RUN}' }`;
const final = (d: Deployment) =>
  ['succeeded', 'failed', 'aborted', 'rolled_back', 'rollback_failed', 'needs_decision'].includes(d.state);

describe('a failing step', () => {
  it('on_failure: stop fails the deployment with the exit code and output', async () => {
    const { h, id } = await begin([failing('one', 'stop'), ok('two')].join('\n'));
    const d = await h.waitFor(id, final);
    expect(d.state).toBe('failed');
    expect(d.outcome).toBe('step "one" failed with exit code 3');
    expect(d.steps[0]).toMatchObject({ status: 'failed', exitCode: 3 });
    expect(d.steps[0]?.outputTail).toContain('boom on stderr');
    expect(await h.runs()).toEqual([`${id} one 1`]);
  });

  it('on_failure: rollback runs the rollback steps', async () => {
    const { h, id } = await begin([failing('one', 'rollback'), ok('two')].join('\n'));
    const d = await h.waitFor(id, final);
    expect(d.state).toBe('rolled_back');
    expect(await h.runs()).toEqual([`${id} one 1`, `${id} undo 1`]);
  });

  it('on_failure: ask waits for /deploy decide, and retry runs it again', async () => {
    const { h, id } = await begin([failing('one', 'ask'), ok('two')].join('\n'));
    const d = await h.waitFor(id, final);
    expect(d.state).toBe('needs_decision');
    expect(d.decision).toMatchObject({ step: 'one', options: ['retry', 'skip', 'rollback'] });
    await h.apply(id, { type: 'decide', choice: 'skip', by: 'ben' });
    const done = await h.waitFor(id, (x) => x.state === 'succeeded');
    expect(done.steps.map((s) => s.status)).toEqual(['skipped', 'succeeded']);
  });
});

describe('timeouts, aborts and retries', () => {
  it('kills a step that runs past its timeout, with its children', async () => {
    const step = `    - { id: slow, title: Slow, needs: [go], run: 'sleep 30 & echo $! > child.pid; wait', timeout: 1s, on_failure: stop }`;
    const { h, id } = await begin(step);
    const d = await h.waitFor(id, final);
    expect(d.state).toBe('failed');
    expect(d.outcome).toMatch(/^step "Slow" timed out after \d+s$/);
    const pid = await readPidFile(join(h.dir, 'child.pid'));
    expect(isProcessAlive(pid)).toBe(false);
  });

  it('abort stops a running step at once and releases the lock', async () => {
    const step = `    - { id: long, title: Long, needs: [go], run: 'touch started; sleep 60' }`;
    const { h, id } = await begin(step);
    await h.waitFor(id, () => existsSync(join(h.dir, 'started')));
    const before = Date.now();
    await h.apply(id, { type: 'abort', by: 'ann', emergency: false, reason: 'wrong build' });
    const d = await h.waitFor(id, (x) => x.steps[0]?.status === 'canceled');
    expect(Date.now() - before).toBeLessThan(8_000);
    expect(d.state).toBe('aborted');
    expect(plainLiterals(d.outcome ?? '')).toBe('aborted by Ann: wrong build');
    expect(await h.preflight.engine.store.lockHolder('svc', 'production')).toBeUndefined();
  });

  it('retries an idempotent step with backoff until it passes', async () => {
    const flaky = `    - { id: flaky, title: Flaky, needs: [go], run: '${LOG_RUN}; test "$PREFLIGHT_ATTEMPT" -ge 3', idempotent: true, retries: 3, backoff: 200ms }`;
    const { h, id } = await begin(flaky);
    const d = await h.waitFor(id, final);
    expect(d.state).toBe('succeeded');
    expect(await h.runs()).toEqual([`${id} flaky 1`, `${id} flaky 2`, `${id} flaky 3`]);
  });
});

describe('refusals', () => {
  it('refuses to start outside the window and names the next opening', async () => {
    const hour = new Date().getUTCHours();
    const start = `${String((hour + 2) % 24).padStart(2, '0')}:00`;
    const end = `${String((hour + 2) % 24).padStart(2, '0')}:30`;
    h = await startHarness({
      runbook: engineRunbook(ok('one'), `window: { start: "${start}", end: "${end}" }`),
      redisUrl: redis.url,
    });
    const started = await h.start('v1.0.0');
    expect(started.ok).toBe(false);
    if (started.ok) return;
    expect(started.error.code).toBe('WINDOW_CLOSED');
    expect(started.error.message).toMatch(
      new RegExp(
        `^the svc deployment window \\(${start}–${end} UTC\\) is closed: it opens next at \\d{4}-\\d{2}-\\d{2} ${start} \\+00:00`,
      ),
    );
  });

  it('runs nothing when a step comes due after the window closed, until someone decides to run it', async () => {
    const at = (ms: number) => new Date(Date.now() + ms).toISOString().slice(11, 19);
    // Inside the window at the start; the gate is approved after it has closed (not across midnight).
    if (at(-60_000) > at(4_000)) return;
    h = await startHarness({
      runbook: engineRunbook(
        `    - { id: one, title: One, needs: [go], run: '${LOG_RUN}' }`,
        `window: { start: "${at(-60_000)}", end: "${at(4_000)}" }`,
      ),
      redisUrl: redis.url,
    });
    const started = await h.start('v1.0.0');
    if (!started.ok) throw started.error;
    const id = started.deployment.id;
    await new Promise((r) => setTimeout(r, 5_000));
    expect((await h.apply(id, { type: 'gate.approve', gate: 'go', by: 'ben' })).ok).toBe(true);
    const asked = await h.waitFor(id, (d) => d.state === 'needs_decision');
    // Nothing ran yet, so there is nothing to roll back: running the rest (or /deploy abort) is the choice.
    expect(asked.decision?.options).toEqual(['run']);
    await new Promise((r) => setTimeout(r, 1_500));
    expect(await h.runs()).toEqual([]);
    expect((await h.apply(id, { type: 'decide', choice: 'run', by: 'ben' })).ok).toBe(true);
    await h.waitFor(id, (d) => d.state === 'succeeded');
    expect(await h.runs()).toEqual([`${id} one 1`]);
  });

  it('refuses a second deployment of the same service and environment, and allows another environment', async () => {
    const { h, id } = await begin(`    - { id: wait, title: Wait, needs: [go], run: 'sleep 60' }`);
    const second = await h.start('v1.0.1');
    expect(second.ok).toBe(false);
    if (!second.ok) {
      expect(second.error.code).toBe('LOCKED');
      expect(second.error.message).toMatch(
        new RegExp(
          `^svc production is busy with deployment ${id} \\(v1.0.0 by Ann, .+\\); wait for it to finish, or /deploy abort ${id}$`,
        ),
      );
    }
    const staging = await h.start('v1.0.1', 'ann', 'staging');
    expect(staging.ok).toBe(true);
    await h.apply(id, { type: 'abort', by: 'ann', emergency: false });
  });

  it('refused starts of a race use up no number: the next deployment follows the one that won', async () => {
    h = await startHarness({
      runbook: engineRunbook(`    - { id: wait, title: Wait, needs: [go], run: 'sleep 60' }`),
      redisUrl: redis.url,
    });
    const harness = h;
    const raced = await Promise.all([1, 2, 3, 4, 5, 6].map((n) => harness.start(`v1.0.${n}`)));
    const won = raced.filter((r) => r.ok);
    expect(won).toHaveLength(1);
    const winner = won[0];
    if (!winner?.ok) return;
    expect(raced.filter((r) => !r.ok).map((r) => !r.ok && r.error.code)).toEqual(Array(5).fill('LOCKED'));
    await h.apply(winner.deployment.id, { type: 'abort', by: 'ann', emergency: false });
    await h.waitFor(winner.deployment.id, (d) => d.state === 'aborted');
    const next = await h.start('v1.0.7');
    if (!next.ok) throw next.error;
    const number = (id: string) => Number(id.split('-')[1]);
    expect(number(next.deployment.id)).toBe(number(winner.deployment.id) + 1);
    await h.apply(next.deployment.id, { type: 'abort', by: 'ann', emergency: false });
  });

  it('refuses while a manual lock is held, and explains it', async () => {
    h = await startHarness({ runbook: engineRunbook(ok('one')), redisUrl: redis.url });
    const now = Date.now();
    await h.preflight.engine.store.lockManually('svc', 'production', {
      kind: 'manual',
      owner: 'ben',
      reason: 'db maintenance',
      at: now,
      expiresAt: now + 30 * 60_000,
    });
    const started = await h.start('v1.0.0');
    // As chat shows it: the reason someone typed as written.
    expect(!started.ok && plainLiterals(started.error.message)).toBe(
      'svc production is locked by Ben for another 30m: db maintenance. Ask them, or /deploy unlock svc production',
    );
  });

  it('refuses to start when a required variable is missing, naming only the variable', async () => {
    h = await startHarness({
      runbook: engineRunbook(ok('one'), 'requires: { env: [DEPLOY_TOKEN] }'),
      redisUrl: redis.url,
    });
    const started = await h.start('v1.0.0');
    expect(!started.ok && started.error.message).toBe(
      'cannot start: DEPLOY_TOKEN is not set where Preflight runs; set it and try again',
    );
  });

  it('names a mistyped version before a missing required variable: the typo is what the person can fix', async () => {
    h = await startHarness({
      runbook: engineRunbook(ok('one'), 'requires: { env: [DEPLOY_TOKEN] }'),
      redisUrl: redis.url,
    });
    const started = await h.start('1.0.0');
    expect(!started.ok && plainLiterals(started.error.message)).toBe(
      `"1.0.0" does not match this runbook's version pattern v\\d+\\.\\d+\\.\\d+`,
    );
  });
});
