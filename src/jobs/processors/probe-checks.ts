/** Runs a list of health checks: network probes through the prober, `run` checks as commands. */
import {
  type Deployment,
  formatDuration,
  type HealthResult,
  type Runbook,
  type RunbookHealthCheck,
} from '../../core/index.ts';
import type { HealthEntry, HealthLog } from '../health-log.ts';
import type { ProcessorDeps } from './processor-deps.ts';
import { recordHealth } from './record-health.ts';
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

/** Checks being probed and recorded. */
export interface Probing {
  /** Each named check's result being recorded: probed now, or still outstanding from an earlier probe. */
  readonly answers: ReadonlyMap<string, Promise<void>>;
  /** The checks probed now (the others' earlier probe had not answered yet). */
  readonly started: ReadonlySet<string>;
}

/** The probes of this process not answered yet, per health log: `deployment id` + `check id` → its recording. */
const outstanding = new WeakMap<HealthLog, Map<string, Promise<void>>>();

/**
 * Probes the named checks and records each result as it comes, so a check that hangs keeps back only its own. A
 * check whose earlier probe has not answered (an endpoint that holds the request until the check's timeout) is not
 * probed again: ticks do not pile up requests on it, and its result is recorded when that probe ends. `fresh`
 * asks for results from after now (an incident's Health line): each check is probed now, whatever is outstanding.
 * The answers never reject: a result that could not be recorded is logged.
 */
export function probeAndRecord(
  deps: ProcessorDeps,
  runbook: Runbook,
  deployment: Deployment,
  ids: readonly string[],
  options: { readonly fresh?: boolean } = {},
): Probing {
  const pending = outstanding.get(deps.monitoring) ?? new Map<string, Promise<void>>();
  outstanding.set(deps.monitoring, pending);
  const answers = new Map<string, Promise<void>>();
  const started = new Set<string>();
  for (const id of new Set(ids)) {
    const key = `${deployment.id}\n${id}`;
    const earlier = pending.get(key);
    if (earlier && !options.fresh) {
      answers.set(id, earlier);
      continue;
    }
    const answer: Promise<void> = probeChecks(deps, runbook, deployment, [id])
      .then((results) => recordHealth(deps, deployment, results))
      .catch((err: unknown) =>
        deps.log.warn({ err, deployment: deployment.id, check: id }, 'health result not recorded'),
      )
      .finally(() => {
        if (pending.get(key) === answer) pending.delete(key);
      });
    if (!earlier) pending.set(key, answer);
    answers.set(id, answer);
    started.add(id);
  }
  return { answers, started };
}

/**
 * How long a judgement that must not wait on a hung endpoint (an incident's Health line, the re-check before a page)
 * waits for its checks' answers. A check that has not answered by then counts as last seen; its result is recorded
 * when it comes.
 */
export const FRESH_ANSWER_MS = 2_000;

/**
 * The named checks' results from now, for the re-check before a page: probed as the ticks probe them (a check whose
 * earlier probe is still outstanding is not asked again: its answer is awaited) and recorded, so the re-check and the
 * ticks judge the same health. A check with no answer within FRESH_ANSWER_MS counts as last seen, and says so: a
 * hung endpoint holds up neither the page nor, one request per page, its sockets.
 */
export async function probeAnswered(
  deps: ProcessorDeps,
  runbook: Runbook,
  deployment: Deployment,
  ids: readonly string[],
): Promise<HealthEntry[]> {
  const asked = deps.engine.clock.now();
  const probing = probeAndRecord(deps, runbook, deployment, ids);
  let timer: NodeJS.Timeout | undefined;
  const budget = new Promise<void>((resolve) => {
    timer = setTimeout(resolve, FRESH_ANSWER_MS);
  });
  await Promise.race([Promise.all(probing.answers.values()), budget]);
  clearTimeout(timer);
  const seen = await deps.monitoring.snapshot(deployment.id);
  const late = `no answer within ${formatDuration(FRESH_ANSWER_MS)}`;
  return [...new Set(ids)].map((id): HealthEntry => {
    const h = seen.find((s) => s.id === id);
    if (!h)
      return { id, passed: false, unknown: true, detail: `never answered, ${late}`, since: asked, at: asked };
    return h.at >= asked ? h : { ...h, detail: `${h.detail}; as last seen, ${late}` };
  });
}

/** `gateway ok; targets-up FAILING (up = 0 on a:1); errors UNKNOWN (Prometheus: connection refused)` */
export function summarizeHealth(results: readonly HealthResult[]): string {
  return results
    .map((r) => `${r.id} ${r.passed ? 'ok' : `${r.unknown ? 'UNKNOWN' : 'FAILING'} (${r.detail})`}`)
    .join('; ');
}
