/** Runs a list of health checks: network probes through the prober, `run` checks as commands. */
import type { Deployment, HealthResult, Runbook, RunbookHealthCheck } from '../../core/index.ts';
import type { ProcessorDeps } from './processor-deps.ts';
import { runStepCommand } from './run-step-command.ts';

async function probeOne(
  deps: ProcessorDeps,
  runbook: Runbook,
  deployment: Deployment,
  check: RunbookHealthCheck,
): Promise<HealthResult> {
  // An alertmanager check counts the alerts of the deployment's environment only, as the webhook places them.
  if (check.run === undefined && check.argv === undefined)
    return deps.health.probe(check, { environment: { name: deployment.environment, runbook } });
  const signal = AbortSignal.timeout(check.timeout ?? 30_000);
  const probeRunbook: Runbook = {
    ...runbook,
    steps: [{ id: check.id, title: check.title ?? check.id, ...commandOf(check) }],
  };
  const result = await runStepCommand(deps, {
    runbook: probeRunbook,
    deployment,
    phase: 'deploy',
    step: check.id,
    attempt: 1,
    signal,
  });
  const last = result.outputTail.trim().split('\n').slice(-1)[0] ?? '';
  return {
    id: check.id,
    passed: result.outcome === 'succeeded',
    detail: result.failure ?? (last || `exit code ${result.exitCode ?? 'none'}`),
  };
}

function commandOf(check: RunbookHealthCheck) {
  return {
    ...(check.run !== undefined && { run: check.run }),
    ...(check.argv !== undefined && { argv: check.argv }),
    ...(check.expect !== undefined && { expect: check.expect }),
    ...(check.timeout !== undefined && { timeout: check.timeout }),
  };
}

/** Probes the named checks (all of the runbook's when `ids` is undefined), in parallel. */
export async function probeChecks(
  deps: ProcessorDeps,
  runbook: Runbook,
  deployment: Deployment,
  ids?: readonly string[],
): Promise<HealthResult[]> {
  const checks = (runbook.health ?? []).filter((c) => ids === undefined || ids.includes(c.id));
  return Promise.all(
    checks.map((check) =>
      probeOne(deps, runbook, deployment, check).catch((error: unknown) => ({
        id: check.id,
        passed: false,
        unknown: true,
        detail: `could not run the check: ${(error as Error).message}`,
      })),
    ),
  );
}

/** `gateway ok; targets-up FAILING (up = 0 on a:1); errors UNKNOWN (Prometheus: connection refused)` */
export function summarizeHealth(results: readonly HealthResult[]): string {
  return results
    .map((r) => `${r.id} ${r.passed ? 'ok' : `${r.unknown ? 'UNKNOWN' : 'FAILING'} (${r.detail})`}`)
    .join('; ');
}
