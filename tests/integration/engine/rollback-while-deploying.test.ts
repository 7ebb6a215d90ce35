/**
 * `/rollback` typed while a deployment is under way, through the real dispatcher, workers and execa: the rollback
 * undoes what the steps did once they have stopped, never beside a step still running; a step that waited to be
 * retried is not run again in the middle of the rollback; and a deployment someone paused rolls back all the same.
 */
import { describe, expect, it } from 'vitest';
import type { Harness } from '../../helpers/engine-harness.ts';
import { engineRunbook } from '../../helpers/engine-runbooks.ts';
import { useEngineSuite } from '../../helpers/engine-suite.ts';
import { deploymentNotes } from '../../helpers/incident-world.ts';

const suite = useEngineSuite();

/** Appends "<what> <ms since the epoch>" to runs.log. */
const log = (what: string) => `echo "${what} $(date +%s%3N)" >> runs.log`;

/** engineRunbook with these steps and a rollback step that logs its start and end around `seconds` of work. */
const runbook = (steps: string, seconds = 1) =>
  engineRunbook(steps).replace(
    /rollback:\n {2}steps:\n.*\n/,
    `rollback:\n  steps:\n    - { id: undo, title: Undo, run: '${log('undo-start')}; sleep ${seconds}; ${log('undo-end')}' }\n`,
  );

/** Ann starts svc-1, Ben approves it; its id. */
async function started(h: Harness): Promise<string> {
  const outcome = await h.start('v1.0.0', 'ann');
  if (!outcome.ok) throw outcome.error;
  const approved = await h.apply(outcome.deployment.id, { type: 'gate.approve', gate: 'go', by: 'ben' });
  if (!approved.ok) throw approved.error;
  return outcome.deployment.id;
}

async function typeRollback(h: Harness, id: string): Promise<string | undefined> {
  const reply = await h.preflight.chat.dispatcher.command({
    platform: 'console',
    userId: 'ann',
    channel: '#deploy',
    text: `/rollback ${id}`,
  });
  return reply?.text;
}

/** runs.log as [what, ms] pairs, in the order written. */
async function timeline(h: Harness): Promise<[string, number][]> {
  return (await h.runs()).map((line) => {
    const [what = '', at = '0'] = line.split(' ');
    return [what, Number(at)];
  });
}

const at = (lines: [string, number][], what: string) => lines.find(([w]) => w === what)?.[1] ?? Number.NaN;

describe('/rollback while a step runs', () => {
  it('runs the rollback once the step has stopped, not beside it', async () => {
    // A migration that finishes its transaction before it stops: it takes two seconds to end once asked to.
    const h = await suite.start({
      runbook: runbook(
        `  - { id: migrate, title: Migrate, needs: [go], run: 'stop() { sleep 2; ${log('migrate-stopped')}; exit 1; }; trap stop TERM; ${log('migrate-start')}; sleep 30 & wait' }`,
      ),
    });
    const id = await started(h);
    await h.waitFor(id, (d) => d.steps[0]?.status === 'running');
    while (!(await h.runs()).some((l) => l.startsWith('migrate-start')))
      await new Promise((r) => setTimeout(r, 50));
    expect(await typeRollback(h, id)).toContain('rolling back svc');
    const done = await h.waitFor(id, (d) => d.state === 'rolled_back', 30_000);
    const lines = await timeline(h);
    expect(lines.map(([what]) => what)).toEqual([
      'migrate-start',
      'migrate-stopped',
      'undo-start',
      'undo-end',
    ]);
    expect(at(lines, 'undo-start')).toBeGreaterThanOrEqual(at(lines, 'migrate-stopped'));
    expect(done.steps[0]?.status).toBe('canceled');
    expect(deploymentNotes(h, id, 'rollback-waits').map((d) => d.effect.topic)).toEqual([
      expect.objectContaining({
        text: '⏳ The rollback starts once step *Migrate*, asked to stop, has stopped.',
      }),
    ]);
    expect(done.rollback?.steps[0]?.status).toBe('succeeded');
  }, 60_000);

  it('does not run again a step that waited to be retried', async () => {
    const h = await suite.start({
      runbook: runbook(
        `  - { id: one, title: One, needs: [go], run: '${log('one')}' }\n  - { id: two, title: Two, idempotent: true, retries: 2, backoff: 1s, run: '${log('two')}; exit 1' }`,
        3,
      ),
    });
    const id = await started(h);
    await h.waitFor(id, (d) => d.steps[1]?.status === 'waiting' && d.steps[1].attempt === 2);
    expect(await typeRollback(h, id)).toContain('rolling back svc');
    // The rollback takes longer than the retry waited.
    const done = await h.waitFor(id, (d) => d.state !== 'rolling_back', 30_000);
    expect(done.state).toBe('rolled_back');
    expect((await timeline(h)).map(([what]) => what)).toEqual(['one', 'two', 'undo-start', 'undo-end']);
    expect((await h.get(id)).state).toBe('rolled_back');
    expect(done.steps[1]?.status).toBe('canceled');
  }, 60_000);
});

describe('/rollback of a paused deployment', () => {
  it('runs the rollback: the pause held the deployment steps, not their undoing', async () => {
    const h = await suite.start({
      runbook: runbook(
        `  - { id: one, title: One, needs: [go], run: 'sleep 1; ${log('one')}' }\n  - { id: two, title: Two, run: '${log('two')}' }`,
      ),
    });
    const id = await started(h);
    // Ben pauses it while its first step runs: that step finishes, the next one waits for /deploy resume.
    await h.waitFor(id, (d) => d.steps[0]?.status === 'running');
    const paused = await h.apply(id, { type: 'pause', by: 'ben' });
    if (!paused.ok) throw paused.error;
    await h.waitFor(id, (d) => d.steps[0]?.status === 'succeeded' && d.state === 'scheduled');
    expect(await typeRollback(h, id)).toContain('rolling back svc');
    const done = await h.waitFor(id, (d) => d.state === 'rolled_back', 15_000);
    expect(done.paused).toBe(false);
    expect((await timeline(h)).map(([what]) => what)).toEqual(['one', 'undo-start', 'undo-end']);
  }, 60_000);
});
