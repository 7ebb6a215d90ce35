/**
 * Health checks probed for the ticks and the re-check before a page, each result recorded as it comes. One probe
 * of a check is outstanding at a time across every process on the Redis (a claim in Redis), so an endpoint that
 * holds requests until the check's timeout is not sent one more per tick, page or worker process.
 */
import { type Deployment, formatDuration, type Runbook } from '../../core/index.ts';
import type { HealthEntry, HealthLog } from '../health-log.ts';
import { probeChecks } from './probe-checks.ts';
import type { ProcessorDeps } from './processor-deps.ts';
import { recordHealth } from './record-health.ts';

/** Checks being probed and recorded. */
export interface Probing {
  /** Each named check's result being recorded: probed now, or still outstanding from an earlier probe. */
  readonly answers: ReadonlyMap<string, Promise<void>>;
  /** The checks probed now by this call (the others' earlier probe had not answered yet). */
  readonly started: ReadonlySet<string>;
  /** The checks another process is probing: their answers are recorded by it. */
  readonly elsewhere: ReadonlySet<string>;
}

/**
 * How long a judgement that must not wait on a hung endpoint (an incident's Health line, the re-check before a page)
 * waits for its checks' answers. A check that has not answered by then counts as last seen; its result is recorded
 * when it comes.
 */
export const FRESH_ANSWER_MS = 2_000;

/** A claim outlives its probe's own deadline by this much (the answer is recorded before it is released). */
const CLAIM_MARGIN_MS = 5_000;
/** The deadline of a command check without a `timeout` (probe-checks.ts). */
const DEFAULT_COMMAND_MS = 30_000;
/** The deadline of a network check without a `timeout` (the HealthProber's default). */
const DEFAULT_REQUEST_MS = 10_000;

interface Outstanding {
  /** Whether this process probes it (false: another process holds the claim). */
  readonly mine: Promise<boolean>;
  readonly answer: Promise<void>;
}

/** The probes of this process not answered yet, per health log: `deployment id` + `check id` → its recording. */
const outstanding = new WeakMap<HealthLog, Map<string, Outstanding>>();

type Claim = { readonly mine: false } | { readonly mine: true; readonly token?: string };

/** Claims the check's probing in Redis; a Redis that does not answer does not stop the probe. */
async function claim(
  deps: ProcessorDeps,
  runbook: Runbook,
  deployment: Deployment,
  id: string,
): Promise<Claim> {
  const check = runbook.health?.find((c) => c.id === id);
  const command = check?.run !== undefined || check?.argv !== undefined;
  const ttl = (check?.timeout ?? (command ? DEFAULT_COMMAND_MS : DEFAULT_REQUEST_MS)) + CLAIM_MARGIN_MS;
  try {
    const token = await deps.monitoring.claimProbe(deployment.id, id, ttl);
    return token === undefined ? { mine: false } : { mine: true, token };
  } catch (err) {
    deps.log.warn({ err, deployment: deployment.id, check: id }, 'health probe not claimed; probing anyway');
    return { mine: true };
  }
}

/**
 * Probes the named checks and records each result as it comes, so a check that hangs keeps back only its own. A
 * check whose earlier probe has not answered (an endpoint that holds the request until the check's timeout), in
 * this process or another, is not probed again: its result is recorded when that probe ends. `fresh` asks for
 * results from after now (an incident's Health line): each check is probed now, whatever is outstanding. The
 * answers never reject: a result that could not be recorded is logged.
 */
export async function probeAndRecord(
  deps: ProcessorDeps,
  runbook: Runbook,
  deployment: Deployment,
  ids: readonly string[],
  options: { readonly fresh?: boolean } = {},
): Promise<Probing> {
  const pending = outstanding.get(deps.monitoring) ?? new Map<string, Outstanding>();
  outstanding.set(deps.monitoring, pending);
  const asked: { readonly id: string; readonly entry: Outstanding; readonly now: boolean }[] = [];
  for (const id of new Set(ids)) {
    const key = `${deployment.id}\n${id}`;
    const earlier = pending.get(key);
    if (earlier && !options.fresh) {
      asked.push({ id, entry: earlier, now: false });
      continue;
    }
    const claimed: Promise<Claim> = options.fresh
      ? Promise.resolve({ mine: true })
      : claim(deps, runbook, deployment, id);
    const answer: Promise<void> = claimed
      .then(async (c) => {
        if (!c.mine) return;
        try {
          await recordHealth(deps, deployment, await probeChecks(deps, runbook, deployment, [id]));
        } finally {
          if (c.token !== undefined) await deps.monitoring.releaseProbe(deployment.id, id, c.token);
        }
      })
      .catch((err: unknown) =>
        deps.log.warn({ err, deployment: deployment.id, check: id }, 'health result not recorded'),
      )
      .finally(() => {
        if (pending.get(key)?.answer === answer) pending.delete(key);
      });
    const entry: Outstanding = { mine: claimed.then((c) => c.mine), answer };
    if (!earlier) pending.set(key, entry);
    asked.push({ id, entry, now: true });
  }
  const mine = await Promise.all(asked.map((a) => a.entry.mine));
  return {
    answers: new Map(asked.map((a) => [a.id, a.entry.answer])),
    started: new Set(asked.filter((a, i) => a.now && mine[i]).map((a) => a.id)),
    elsewhere: new Set(asked.filter((_, i) => !mine[i]).map((a) => a.id)),
  };
}

const pause = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

/**
 * The named checks' results from now, for the re-check before a page: probed as the ticks probe them (a check whose
 * earlier probe is still outstanding, here or in another process, is not asked again: its answer is awaited) and
 * recorded, so the re-check and the ticks judge the same health. A check with no answer within FRESH_ANSWER_MS
 * counts as last seen, and says so: a hung endpoint holds up neither the page nor, one request per page, its sockets.
 */
export async function probeAnswered(
  deps: ProcessorDeps,
  runbook: Runbook,
  deployment: Deployment,
  ids: readonly string[],
): Promise<HealthEntry[]> {
  const asked = deps.engine.clock.now();
  const deadline = Date.now() + FRESH_ANSWER_MS;
  const probing = await probeAndRecord(deps, runbook, deployment, ids);
  let timer: NodeJS.Timeout | undefined;
  const budget = new Promise<void>((resolve) => {
    timer = setTimeout(resolve, Math.max(0, deadline - Date.now()));
  });
  await Promise.race([Promise.all(probing.answers.values()), budget]);
  clearTimeout(timer);
  let seen = await deps.monitoring.snapshot(deployment.id);
  // What another process probes reaches this one through the health log only.
  const unanswered = () =>
    [...probing.elsewhere].some((id) => (seen.find((h) => h.id === id)?.at ?? -1) < asked);
  while (unanswered() && Date.now() < deadline) {
    await pause(100);
    seen = await deps.monitoring.snapshot(deployment.id);
  }
  const late = `no answer within ${formatDuration(FRESH_ANSWER_MS)}`;
  return [...new Set(ids)].map((id): HealthEntry => {
    const h = seen.find((s) => s.id === id);
    if (!h)
      return { id, passed: false, unknown: true, detail: `never answered, ${late}`, since: asked, at: asked };
    return h.at >= asked ? h : { ...h, detail: `${h.detail}; as last seen, ${late}` };
  });
}
