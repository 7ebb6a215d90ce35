/** Looking up the runbook definitions behind a deployment's runs. */
import type { Runbook, RunbookGate, RunbookRollbackStep, RunbookStep } from '../runbook/schema.ts';
import type { Deployment, Phase } from './deployment.ts';

export const DEFAULT_TIMEOUT_MS = 10 * 60_000;
export const DEFAULT_BACKOFF_MS = 5_000;

export type StepDefinition = RunbookStep | RunbookRollbackStep;

/** The runbook definition of a step in a phase. */
export function stepDefinition(runbook: Runbook, phase: Phase, id: string): StepDefinition | undefined {
  const steps = phase === 'deploy' ? runbook.steps : (runbook.rollback?.steps ?? []);
  return steps.find((s) => s.id === id);
}

/** The gate definition, or undefined for an unknown gate. */
export function gateDefinition(runbook: Runbook, id: string): RunbookGate | undefined {
  return runbook.gates?.[id];
}

/** The gate that lets a deployment leave its window, where the runbook has `outside: override`; else undefined. */
export function windowOverrideGate(runbook: Runbook): { id: string; def: RunbookGate } | undefined {
  const { window } = runbook;
  const id = window?.outside === 'override' ? window.override_gate : undefined;
  const def = id === undefined ? undefined : gateDefinition(runbook, id);
  return id !== undefined && def ? { id, def } : undefined;
}

/** Gates a deployment asks for: those its steps need, plus its extra (override) gates, in runbook order. */
export function requestedGates(runbook: Runbook, extraGates: readonly string[]): string[] {
  const needed = new Set([...runbook.steps.flatMap((s) => s.needs ?? []), ...extraGates]);
  return Object.keys(runbook.gates ?? {}).filter((id) => needed.has(id));
}

/** Gates a deployment step waits for. The first step also waits for the extra gates. */
export function gatesFor(runbook: Runbook, deployment: Deployment, stepIndex: number): string[] {
  const step = runbook.steps[stepIndex];
  return [...(step?.needs ?? []), ...(stepIndex === 0 ? deployment.extraGates : [])];
}

/** How many attempts a step may have in all: one, plus its retries when it is idempotent. */
export function maxAttempts(def: StepDefinition | undefined): number {
  return def?.idempotent === true ? 1 + (def.retries ?? 0) : 1;
}

/** Delay before a retry: the step's backoff, doubled for each attempt already made. */
export function retryDelay(def: StepDefinition | undefined, attemptsMade: number): number {
  return (def?.backoff ?? DEFAULT_BACKOFF_MS) * 2 ** Math.max(0, attemptsMade - 1);
}
