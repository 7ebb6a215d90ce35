/**
 * An emergency stop runs alone on its service and environment, whether a deployment's `/deploy abort --emergency`
 * or an incident's Emergency stop asked for it: a second one asked for meanwhile is not run, and says which one is
 * under way and where its output goes. The hold outlasts the command's own time limit, so a process that died
 * mid-run frees it in the end; the same job handled again after such a death runs (it holds it already).
 */
import { EMERGENCY_TIMEOUT_MS, type EmergencyTarget } from '../../core/index.ts';
import type { ProcessorDeps } from './processor-deps.ts';

/** How long a run holds its service/environment at most: its command's limit, and time to record the output. */
const HOLD_MS = EMERGENCY_TIMEOUT_MS + 5 * 60_000;

/** What became of an emergency stop: run (what `stop` resolved with), or not run because another one is under way. */
export type StopOnce<T> = { readonly ran: T } | { readonly busy: string };

/**
 * Runs `stop` unless another emergency stop is under way on `target`; `run.who` says this one to any that comes
 * while it runs ("asked by Ann from INC-3; its output goes to that thread").
 */
export async function emergencyStopOnce<T>(
  deps: Pick<ProcessorDeps, 'emergencyRuns' | 'log'>,
  target: EmergencyTarget,
  run: { readonly id: string; readonly who: string },
  stop: () => Promise<T>,
): Promise<StopOnce<T>> {
  const holder = await deps.emergencyRuns.begin(target, run, HOLD_MS);
  if (holder !== undefined)
    return {
      busy: `an emergency stop of ${target.service} ${target.environment} is already under way (${holder}); it was not run again`,
    };
  try {
    return { ran: await stop() };
  } finally {
    await deps.emergencyRuns
      .end(target, run.id)
      .catch((err: unknown) => deps.log.warn({ err, ...target }, 'emergency stop hold not given back'));
  }
}
