/**
 * Runs one of the runbook's emergency commands, for a deployment's `/deploy abort --emergency` or an incident's
 * Emergency stop/logs. A stop runs alone on its service and environment: one asked for while another is under way
 * is not run, and says which one is and where its output goes. The hold outlasts the command's own time limit, so a
 * process that died mid-run frees it in the end; the same job handled again after such a death runs (it holds it
 * already). Logs run whenever asked.
 */
import { EMERGENCY_TIMEOUT_MS, type EmergencyTarget, type StepResult } from '../../core/index.ts';
import type { ProcessorDeps } from './processor-deps.ts';

/** How long a stop holds its service/environment at most: its command's limit, and time to record the output. */
const HOLD_MS = EMERGENCY_TIMEOUT_MS + 5 * 60_000;

/** What became of an emergency command: how it ended and what it printed, or why it was not run. */
export type EmergencyOutcome = { readonly how: string; readonly output: string } | { readonly busy: string };

/**
 * Runs `command` (the runbook's `which` command) on `target`; `run` names this run (its job id) and says it to a
 * stop asked for while it runs ("asked by Ann from INC-3; its output goes to that thread").
 */
export async function runEmergency(
  deps: Pick<ProcessorDeps, 'emergencyRuns' | 'log'>,
  which: 'stop' | 'logs',
  target: EmergencyTarget,
  run: { readonly id: string; readonly who: string },
  command: () => Promise<StepResult>,
): Promise<EmergencyOutcome> {
  if (which === 'logs') return ended(await command());
  const holder = await deps.emergencyRuns.begin(target, run, HOLD_MS);
  if (holder !== undefined)
    return {
      busy: `an emergency stop of ${target.service} ${target.environment} is already under way (${holder}); it was not run again`,
    };
  try {
    return ended(await command());
  } finally {
    await deps.emergencyRuns
      .end(target, run.id)
      .catch((err: unknown) => deps.log.warn({ err, ...target }, 'emergency stop hold not given back'));
  }
}

function ended(result: StepResult): EmergencyOutcome {
  const how =
    result.outcome === 'succeeded'
      ? 'finished'
      : `${result.outcome} (${result.failure ?? `exit ${result.exitCode}`})`;
  return { how, output: result.outputTail };
}
