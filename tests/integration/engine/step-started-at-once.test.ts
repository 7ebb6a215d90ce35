import { existsSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { hostname, tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it, onTestFinished } from 'vitest';
import { applyEvent } from '../../../src/core/index.ts';
import type { Harness } from '../../helpers/engine-harness.ts';
import { engineRunbook, LOG_RUN } from '../../helpers/engine-runbooks.ts';
import { until, useEngineSuite } from '../../helpers/engine-suite.ts';

const suite = useEngineSuite();
let h: Harness | undefined;

describe('an approval committed by a process that runs steps', () => {
  it('starts the step it makes due in its own commit, runs it once, and its job only guards it', async () => {
    h = await suite.start({
      runbook: engineRunbook(`    - { id: deploy, title: Deploy, needs: [go], run: '${LOG_RUN}' }`),
    });
    const started = await h.start('v1.0.0');
    if (!started.ok) throw started.error;
    const id = started.deployment.id;
    const approved = await h.apply(id, { type: 'gate.approve', gate: 'go', by: 'ben' });
    if (!approved.ok) throw approved.error;
    // The step is running as the approval is committed: no job had to be picked first.
    const step = approved.deployment.steps[0];
    expect(step).toMatchObject({ status: 'running', attempt: 1, pid: process.pid });
    const guard = await h.preflight.jobs.queues.steps.getJob(step?.runId ?? '');
    expect(guard?.data).toMatchObject({ deploymentId: id, step: 'deploy', attempt: 1 });
    expect(await guard?.isDelayed()).toBe(true);
    await h.waitFor(id, (d) => d.state === 'succeeded');
    // The guard comes due after the lease (1.5 s here), finds the step done and leaves it.
    await until(() => false, 2_500).catch(() => undefined);
    const d = await h.get(id);
    expect(d.steps[0]).toMatchObject({ status: 'succeeded', attempt: 1 });
    expect(await h.runs()).toEqual([`${id} deploy 1`]);
  });
});

/**
 * The bot side commits an approval as a process that runs steps would, with its offer, and then dies before it
 * runs the step (it never does here); a worker process takes the step over through its guard.
 */
async function approvedByAProcessThatDied(steps: string) {
  const started = await suite.startWithWorker(steps);
  h = started.h;
  const { id } = started;
  const dead = { runId: 'now-gone', pid: 4_194_301, host: hostname(), guardAfterMs: 500 };
  const engine = { ...h.preflight.engine, offerStepStart: () => dead };
  const approved = await applyEvent(engine, id, { type: 'gate.approve', gate: 'go', by: 'ben' });
  if (!approved.ok) throw approved.error;
  expect(approved.deployment.steps[0]).toMatchObject({ status: 'running', runId: 'now-gone' });
  return { h, id };
}

describe('the process that committed the approval died before it ran the step', () => {
  it('idempotent: another worker runs it once its guard comes due, and the deployment completes', async () => {
    const { h, id } = await approvedByAProcessThatDied(
      `    - { id: deploy, title: Deploy, needs: [go], run: '${LOG_RUN}', idempotent: true, retries: 1, backoff: 100ms }`,
    );
    const d = await h.waitFor(id, (x) => x.state === 'succeeded', 30_000);
    expect(d.steps[0]).toMatchObject({ status: 'succeeded', attempt: 2 });
    expect(await h.runs()).toEqual([`${id} deploy 2`]);
  });

  it('not idempotent: it is not run on a guess; the thread asks for a decision', async () => {
    const { h, id } = await approvedByAProcessThatDied(
      `    - { id: migrate, title: Migrate, needs: [go], run: '${LOG_RUN}' }`,
    );
    const d = await h.waitFor(id, (x) => x.state === 'needs_decision', 30_000);
    expect(d.steps[0]).toMatchObject({ status: 'interrupted', attempt: 1 });
    expect(d.decision).toMatchObject({ step: 'migrate', options: ['retry', 'skip', 'rollback'] });
    expect(await h.runs()).toEqual([]);
  });
});

describe('a process stopped while a step it started at once runs', () => {
  it('lets the step finish and records its result before it exits; the next step is left to its job', async () => {
    const steps = [
      `    - { id: first, title: First, needs: [go], run: '${LOG_RUN}; touch started; sleep 1' }`,
      `    - { id: second, title: Second, run: '${LOG_RUN}' }`,
    ].join('\n');
    const dir = await mkdtemp(join(tmpdir(), 'preflight-started-'));
    onTestFinished(() => rm(dir, { recursive: true, force: true }));
    const first = await suite.start({ runbook: engineRunbook(steps), dir });
    const started = await first.start('v1.0.0');
    if (!started.ok) throw started.error;
    const id = started.deployment.id;
    await first.apply(id, { type: 'gate.approve', gate: 'go', by: 'ben' });
    await until(() => existsSync(join(first.dir, 'started')));
    await first.stop();
    h = await suite.start({ runbook: engineRunbook(steps), prefix: first.prefix, dir });
    const d = await h.waitFor(id, (x) => x.state === 'succeeded', 30_000);
    expect(d.steps.map((s) => [s.status, s.attempt])).toEqual([
      ['succeeded', 1],
      ['succeeded', 1],
    ]);
    expect(await h.runs()).toEqual([`${id} first 1`, `${id} second 1`]);
  });
});
