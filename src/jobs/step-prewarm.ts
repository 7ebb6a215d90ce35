/**
 * Step processes started while the commit that starts their steps is written: a commit that makes a step run in
 * this process (a finish chaining the next step, a person's action, a step's job) has its bash forked and loaded,
 * held before the script, during the round trip to Redis; the run after the commit releases it. A commit that is
 * refused lets its held processes go without running anything. The commit still comes first: no script runs
 * before the state that records it is written.
 */
import type { Commit, Deployment, Phase } from '../core/index.ts';
import type { ProcessorDeps } from './processors/processor-deps.ts';
import { holdStepCommand } from './processors/run-step-command.ts';

interface Start {
  readonly phase: Phase;
  readonly step: string;
  readonly attempt: number;
  readonly runId: string;
}

/** What the store wrapper tells once the commit is answered. */
export interface HeldStarts {
  settle(committed: boolean): void;
}

function phasesOf(d: Deployment | undefined): [Phase, Deployment['steps']][] {
  return d
    ? [
        ['deploy', d.steps],
        ['rollback', d.rollback?.steps ?? []],
      ]
    : [];
}

/** The steps the commit starts under a run of this process (pid and host). */
function startsHere(commit: Commit, pid: number, host: string): Start[] {
  const before = new Map(
    phasesOf(commit.before).flatMap(([phase, steps]) => steps.map((s) => [`${phase}/${s.id}`, s] as const)),
  );
  const starts: Start[] = [];
  for (const [phase, steps] of phasesOf(commit.after))
    for (const s of steps) {
      if (s.status !== 'running' || s.runId === undefined || s.pid !== pid || s.host !== host) continue;
      const was = before.get(`${phase}/${s.id}`);
      if (was?.status === 'running' && was.runId === s.runId) continue;
      starts.push({ phase, step: s.id, attempt: s.attempt, runId: s.runId });
    }
  return starts;
}

/** Holds the processes of the steps `commit` starts here; undefined when it starts none (or cannot hold). */
export function holdStarts(deps: ProcessorDeps, commit: Commit, host: string): HeldStarts | undefined {
  if (!deps.runner.hold) return undefined;
  const starts = startsHere(commit, process.pid, host);
  if (starts.length === 0) return undefined;
  let settled = false;
  let held: readonly string[] = [];
  // The pinned runbook is in memory: this goes out before the commit's answer can come back. Should it not, the
  // run starts its process itself.
  void deps.engine.runbooks.pinned(commit.after.runbookDigest).then(
    (runbook) => {
      if (settled) return;
      for (const s of starts) holdStepCommand(deps, { runbook, deployment: commit.after, ...s });
      held = starts.map((s) => s.runId);
    },
    () => undefined,
  );
  return {
    settle(committed) {
      settled = true;
      if (!committed) for (const key of held) deps.runner.discard?.(key);
    },
  };
}
