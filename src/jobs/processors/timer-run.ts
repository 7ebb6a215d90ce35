/** Timers: gate expiry and reminders, the end of monitoring. Stale timers (the gate closed) do nothing. */
import { DelayedError, type Job } from 'bullmq';
import { applyEvent, applyIncidentEvent, holdForInput } from '../../core/index.ts';
import type { TimerJob } from '../job-types.ts';
import { ackedBeforePage } from './acked-before-page.ts';
import type { ProcessorDeps } from './processor-deps.ts';
import { readBackFirst } from './read-back-first.ts';
import { recheckIncident } from './recheck-incident.ts';

const STALE = new Set(['WRONG_STATE', 'GATE_CLOSED', 'UNKNOWN_DEPLOYMENT']);

/** Creates the processor of the timers queue. */
export function createTimerProcessor(deps: ProcessorDeps) {
  return async function processTimer(job: Job<TimerJob>, token?: string): Promise<void> {
    const data = job.data;
    // What people said before a deployment's timer came due (an approval before its gate's expiry) is applied first.
    // A page does not wait for that input (the process may be one that cannot handle it: its platform refused it;
    // the page re-checks acks on its own, acked-before-page.ts), but at start it waits for the first read-back of
    // the reactions made while the bot was down, bounded (read-back-first.ts), then re-reads its incident below.
    const due = job.timestamp + (job.opts.delay ?? 0);
    const now = deps.engine.clock.now();
    const again =
      data.kind === 'incident.page'
        ? await readBackFirst(deps, now)
        : await holdForInput(deps.input, due, now);
    if (again !== undefined) {
      await job.moveToDelayed(again, token);
      throw new DelayedError();
    }
    if (data.kind === 'incident.page') {
      const incident = await deps.engine.incidents.get(data.incidentId);
      const due = incident?.next;
      if (incident?.state !== 'open' || due?.level !== data.page.level || due.repeat !== data.page.repeat)
        return;
      if (await ackedBeforePage(deps, incident)) return;
      const recheck = await recheckIncident(deps, incident);
      await applyIncidentEvent(
        deps.engine,
        data.incidentId,
        recheck.cleared
          ? { type: 'incident.clear', detail: recheck.detail }
          : {
              type: 'incident.page',
              page: data.page,
              ...(recheck.detail !== undefined && { recheck: recheck.detail }),
            },
      );
      return;
    }
    const since = data.kind === 'timer' && data.timer.since !== undefined ? { since: data.timer.since } : {};
    const event =
      data.kind === 'monitoring.complete'
        ? ({ type: 'monitoring.complete' } as const)
        : data.timer.kind === 'gate.expire'
          ? ({ type: 'gate.expire', gate: data.timer.gate, ...since } as const)
          : ({ type: 'gate.remind', gate: data.timer.gate, count: data.timer.count, ...since } as const);
    const outcome = await applyEvent(deps.engine, data.deploymentId, event);
    if (!outcome.ok && !STALE.has(outcome.error.code)) {
      deps.log.warn(
        { deploymentId: data.deploymentId, timer: event.type, error: outcome.error.message },
        'timer refused',
      );
    }
  };
}
