import { existsSync } from 'node:fs';
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { Harness } from '../../helpers/engine-harness.ts';
import { LOG_RUN } from '../../helpers/engine-runbooks.ts';
import { until, useEngineSuite } from '../../helpers/engine-suite.ts';
import { isProcessAlive, readPidFile } from '../../helpers/process-alive.ts';
import { spawnWorker, type WorkerProcess } from '../../helpers/spawn-worker.ts';

const suite = useEngineSuite();
const { workers } = suite;
let h: Harness | undefined;

/** The bot side (no workers) plus one worker process; the gate is approved. */
async function begin(steps: string) {
  const started = await suite.startWithWorker(steps);
  h = started.h;
  // The relay runs in the worker process: the bot here only commits.
  await h.apply(started.id, { type: 'gate.approve', gate: 'go', by: 'ben' });
  return started;
}

async function restartWorker(h: Harness): Promise<WorkerProcess> {
  const worker = await spawnWorker(suite.redis.url, join(h.dir, 'runbook.yaml'), h.prefix, h.dir);
  workers.push(worker);
  return worker;
}

describe('a worker killed with SIGKILL', () => {
  it('before a non-idempotent step starts: the step runs once, at its time', async () => {
    const { h, id, worker } = await begin(
      `    - { id: migrate, title: Migrate, at: "+3s", needs: [go], run: '${LOG_RUN}' }`,
    );
    await h.waitFor(id, (d) => d.steps[0]?.status === 'waiting');
    await worker.kill();
    await restartWorker(h);
    const d = await h.waitFor(id, (x) => x.state === 'succeeded', 30_000);
    expect(d.steps[0]).toMatchObject({ status: 'succeeded', attempt: 1 });
    expect(await h.runs()).toEqual([`${id} migrate 1`]);
  });

  it('during a non-idempotent step: never re-run; asks for a decision; the orphan is killed', async () => {
    const step = `    - { id: migrate, title: Migrate, needs: [go], run: '${LOG_RUN}; echo $$ > step.pid; sleep 60' }`;
    const { h, id, worker } = await begin(step);
    const stepPid = await readPidFile(join(h.dir, 'step.pid'));
    await worker.kill();
    await restartWorker(h);
    const d = await h.waitFor(id, (x) => x.state === 'needs_decision', 30_000);
    expect(d.steps[0]).toMatchObject({ status: 'interrupted', attempt: 1 });
    expect(d.decision).toMatchObject({ step: 'migrate', options: ['retry', 'skip', 'rollback'] });
    expect(d.decision?.reason).toContain(
      'It is not idempotent, so Preflight will not run it again on its own',
    );
    expect(await h.runs()).toEqual([`${id} migrate 1`]);
    // Gone before the decision was asked, so a quick `retry` can never overlap it.
    expect(isProcessAlive(stepPid)).toBe(false);
    await h.apply(id, { type: 'decide', choice: 'skip', by: 'ben' });
    const done = await h.waitFor(id, (x) => x.state === 'succeeded', 15_000);
    expect(done.steps[0]?.status).toBe('skipped');
    expect(await h.runs()).toEqual([`${id} migrate 1`]);
  });

  it('right after a non-idempotent step finishes, before its result is recorded: asks, does not re-run', async () => {
    // The step's parent is the worker's step launcher; the worker is the launcher's parent.
    const step = `    - { id: migrate, title: Migrate, needs: [go], run: '${LOG_RUN}; kill -9 $(ps -o ppid= -p $PPID); sleep 0.2' }`;
    const { h, id } = await begin(step);
    await until(() => workers[0]?.child.exitCode !== null || workers[0]?.child.signalCode !== null);
    await restartWorker(h);
    const d = await h.waitFor(id, (x) => x.state === 'needs_decision', 30_000);
    expect(d.steps[0]?.status).toBe('interrupted');
    expect(await h.runs()).toEqual([`${id} migrate 1`]);
  });

  it('during an idempotent step: the step is retried and the deployment completes', async () => {
    const step = `    - { id: deploy, title: Deploy, needs: [go], run: '${LOG_RUN}; if [ "$PREFLIGHT_ATTEMPT" = 1 ]; then touch started; sleep 60; fi', idempotent: true, retries: 1, backoff: 100ms }`;
    const { h, id, worker } = await begin(step);
    await until(() => existsSync(join(h.dir, 'started')));
    await worker.kill();
    await restartWorker(h);
    const d = await h.waitFor(id, (x) => x.state === 'succeeded', 30_000);
    expect(d.steps[0]).toMatchObject({ status: 'succeeded', attempt: 2 });
    expect(await h.runs()).toEqual([`${id} deploy 1`, `${id} deploy 2`]);
  });
});

describe('a worker killed during a step it started straight after the one before (no job of its own)', () => {
  const first = `    - { id: prepare, title: Prepare, needs: [go], run: '${LOG_RUN}' }`;

  it('non-idempotent: never re-run; asks for a decision; the orphan is killed', async () => {
    const step = `    - { id: migrate, title: Migrate, run: '${LOG_RUN}; echo $$ > step.pid; sleep 60' }`;
    const { h, id, worker } = await begin(`${first}\n${step}`);
    const stepPid = await readPidFile(join(h.dir, 'step.pid'));
    const running = await h.waitFor(id, (x) => x.steps[1]?.status === 'running');
    expect(running.steps[1]?.runId).toBe(`${running.steps[0]?.runId}+1`);
    await worker.kill();
    await restartWorker(h);
    const d = await h.waitFor(id, (x) => x.state === 'needs_decision', 30_000);
    expect(d.steps.map((s) => s.status)).toEqual(['succeeded', 'interrupted']);
    expect(d.decision).toMatchObject({ step: 'migrate', options: ['retry', 'skip', 'rollback'] });
    expect(await h.runs()).toEqual([`${id} prepare 1`, `${id} migrate 1`]);
    expect(isProcessAlive(stepPid)).toBe(false);
  });

  it('idempotent: the step is retried and the deployment completes', async () => {
    const step = `    - { id: deploy, title: Deploy, run: '${LOG_RUN}; if [ "$PREFLIGHT_ATTEMPT" = 1 ]; then touch started; sleep 60; fi', idempotent: true, retries: 1, backoff: 100ms }`;
    const { h, id, worker } = await begin(`${first}\n${step}`);
    await until(() => existsSync(join(h.dir, 'started')));
    await worker.kill();
    await restartWorker(h);
    const d = await h.waitFor(id, (x) => x.state === 'succeeded', 30_000);
    expect(d.steps[1]).toMatchObject({ status: 'succeeded', attempt: 2 });
    expect(await h.runs()).toEqual([`${id} prepare 1`, `${id} deploy 1`, `${id} deploy 2`]);
  });
});

describe('a worker stopped gracefully (SIGTERM) while a step runs, with more steps after it', () => {
  it('finishes that step, leaves the next one to another worker, and exits', async () => {
    const steps = [
      `    - { id: prepare, title: Prepare, needs: [go], run: '${LOG_RUN}; touch started; sleep 1' }`,
      `    - { id: migrate, title: Migrate, run: '${LOG_RUN}' }`,
    ].join('\n');
    const { h, id, worker } = await begin(steps);
    await until(() => existsSync(join(h.dir, 'started')));
    await worker.stop();
    const stopped = await h.waitFor(id, (x) => x.steps[0]?.status === 'succeeded');
    expect(stopped.steps[1]?.status).toBe('waiting');
    expect(await h.runs()).toEqual([`${id} prepare 1`]);
    await restartWorker(h);
    await h.waitFor(id, (x) => x.state === 'succeeded', 30_000);
    expect(await h.runs()).toEqual([`${id} prepare 1`, `${id} migrate 1`]);
  });
});

describe("the worker's step launcher process killed", () => {
  it('during a non-idempotent step: the worker marks it interrupted and asks, never re-runs it', async () => {
    const step = `    - { id: migrate, title: Migrate, needs: [go], run: '${LOG_RUN}; kill -9 $PPID; sleep 0.2' }`;
    const { h, id, worker } = await begin(step);
    const d = await h.waitFor(id, (x) => x.state === 'needs_decision', 30_000);
    expect(d.steps[0]?.status).toBe('interrupted');
    expect(d.decision).toMatchObject({ step: 'migrate', options: ['retry', 'skip', 'rollback'] });
    expect(await h.runs()).toEqual([`${id} migrate 1`]);
    // The worker itself lived on.
    expect(worker.child.exitCode).toBe(null);
  });
});

describe('an abort typed on the bot', () => {
  it('kills the step running in another worker process, with its children', async () => {
    const step = `    - { id: long, title: Long, needs: [go], run: 'sleep 120 & echo $! > child.pid; wait' }`;
    const { h, id } = await begin(step);
    const child = await readPidFile(join(h.dir, 'child.pid'));
    const asked = Date.now();
    await h.apply(id, { type: 'abort', by: 'ann', emergency: false, reason: 'wrong build' });
    const d = await h.waitFor(id, (x) => x.steps[0]?.status === 'canceled', 15_000);
    expect(Date.now() - asked).toBeLessThan(5_000);
    expect(d.state).toBe('aborted');
    await until(() => !isProcessAlive(child), 5_000);
    expect(isProcessAlive(child)).toBe(false);
  });
});

describe('a worker whose run another worker took over', () => {
  it('stops its own step process once it sees the hand-over, not when the deployment ends', async () => {
    const steps = [
      `    - { id: deploy, title: Deploy, needs: [go], run: '${LOG_RUN}; if [ "$PREFLIGHT_ATTEMPT" = 1 ]; then echo $$ > step.pid; sleep 120; fi', idempotent: true, retries: 1, backoff: 100ms }`,
      `    - { id: after, title: After, run: 'while [ ! -e release ]; do sleep 0.1; done' }`,
    ].join('\n');
    const { h, id } = await begin(steps);
    const stepPid = await readPidFile(join(h.dir, 'step.pid'));
    const running = await h.waitFor(id, (x) => x.steps[0]?.status === 'running');
    // What a worker on another host does once this run's lease lapsed (its worker cut off from Redis, or frozen):
    // it cannot see this host's processes, so it only calls the run interrupted, and retries the idempotent step.
    await h.apply(id, {
      type: 'step.interrupt',
      phase: 'deploy',
      step: 'deploy',
      runId: running.steps[0]?.runId ?? '',
    });
    const retried = await h.waitFor(id, (x) => x.steps[1]?.status === 'running', 30_000);
    expect(retried.steps[0]).toMatchObject({ status: 'succeeded', attempt: 2 });
    // The deployment goes on (its next step runs): the first run stopped itself rather than running on beside it.
    await until(() => !isProcessAlive(stepPid), 30_000);
    await writeFile(join(h.dir, 'release'), '');
    await h.waitFor(id, (x) => x.state === 'succeeded', 30_000);
    expect(await h.runs()).toEqual([`${id} deploy 1`, `${id} deploy 2`]);
  }, 120_000);
});
