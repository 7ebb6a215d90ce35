/**
 * A trigger judged for the re-check before a page, bounded: a Prometheus or Alertmanager that takes the query and
 * never answers holds up no page. Past FRESH_ANSWER_MS the trigger counts as last judged by the ticks; a stale
 * verdict never clears an incident (a firing one stays firing, anything else is unknown), and the detail says so.
 */
import { type Deployment, formatDuration, type Runbook, type RunbookTrigger } from '../../core/index.ts';
import { type JudgeOptions, judgeTrigger, type TriggerVerdict } from './judge-trigger.ts';
import { FRESH_ANSWER_MS } from './probe-and-record.ts';
import type { ProcessorDeps } from './processor-deps.ts';

/** The verdict the trigger ticks last recorded, as a re-check that got no answer in time sees it. */
async function lastJudged(
  deps: ProcessorDeps,
  deployment: Deployment | undefined,
  trigger: RunbookTrigger,
): Promise<TriggerVerdict> {
  const late = `no answer within ${formatDuration(FRESH_ANSWER_MS)}`;
  const last =
    deployment === undefined
      ? undefined
      : (await deps.monitoring.snapshot(`${deployment.id}:triggers`)).find((t) => t.id === trigger.id);
  if (!last) return { state: 'unknown', detail: `never judged, ${late}` };
  const firing = !last.passed && !last.unknown;
  return { state: firing ? 'firing' : 'unknown', detail: `${last.detail}; as last judged, ${late}` };
}

/** Judges `trigger` fresh, within FRESH_ANSWER_MS (health triggers bound their own probes). */
export async function judgeWithin(
  deps: ProcessorDeps,
  runbook: Runbook,
  deployment: Deployment | undefined,
  trigger: RunbookTrigger,
  options: JudgeOptions,
): Promise<TriggerVerdict> {
  const judging = judgeTrigger(deps, runbook, deployment, trigger, options);
  if (trigger.health) return judging;
  let timer: NodeJS.Timeout | undefined;
  const late = new Promise<'late'>((resolve) => {
    timer = setTimeout(() => resolve('late'), FRESH_ANSWER_MS);
  });
  // A judgement that ends after the bound is dropped; its failure must not go unhandled.
  judging.catch(() => {});
  try {
    const first = await Promise.race([judging, late]);
    return first === 'late' ? lastJudged(deps, deployment, trigger) : first;
  } finally {
    clearTimeout(timer);
  }
}
