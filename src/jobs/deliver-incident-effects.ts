/**
 * Incident effects: messages and DMs through the notifier, the next page's timer, and PagerDuty events as jobs of
 * their own (processors/pager-send.ts), so a PagerDuty outage holds up neither the chat page, nor the ladder, nor
 * anything else the relay carries.
 */
import type { Queue } from 'bullmq';
import type { EngineDeps, IncidentEffect, Notifier, Pager, PagerEvent } from '../core/index.ts';
import { type CheckJob, jobId, type TimerJob } from './job-types.ts';

/** A page is tried for about four and a half hours: 1 s, 2 s, 4 s … between tries (or PagerDuty's Retry-After). */
const PAGER_JOB = { attempts: 14, backoff: { type: 'exponential', delay: 1_000 } } as const;

/** The name of the checks queue's jobs that send an event to PagerDuty. */
export const PAGER_SEND_JOB = 'pager.send';

function addPagerJob(
  deps: IncidentDeliveryDeps,
  id: string,
  action: PagerEvent['action'],
  level: number,
  repeat: number,
) {
  return deps.checks.add(
    PAGER_SEND_JOB,
    { kind: 'pager', incidentId: id, action, level, repeat },
    { jobId: jobId('pd', id, action, level, repeat), ...PAGER_JOB },
  );
}

export interface IncidentDeliveryDeps {
  readonly timers: Queue<TimerJob>;
  readonly checks: Queue<CheckJob>;
  readonly notifier: Notifier;
  readonly engine: EngineDeps;
  readonly pager?: Pager;
}

/** Delivers the effects of one incident commit. */
export async function deliverIncidentEffects(
  deps: IncidentDeliveryDeps,
  id: string,
  effects: readonly IncidentEffect[],
): Promise<void> {
  const now = deps.engine.clock.now();
  for (const effect of effects) {
    switch (effect.type) {
      case 'incident-post':
      case 'incident-refresh':
        await deps.notifier.deliverIncident(id, {
          type: effect.type === 'incident-post' ? 'post' : 'refresh',
          topic: effect.topic,
        });
        break;
      case 'incident-timer':
        await deps.timers.add(
          'incident.page',
          { kind: 'incident.page', incidentId: id, page: effect.page },
          {
            // The ladder position and when it was set: a page set again after a clear (the trigger fired again) is a new job, not
            // the one the clear used up (BullMQ keeps a finished job's id for a day and ignores a new job with it).
            jobId: jobId(
              'pg',
              id,
              effect.page.level,
              effect.page.repeat,
              Math.round(effect.page.after),
              ...(effect.refired !== undefined ? [effect.refired] : []),
            ),
            delay: Math.max(0, effect.at - now),
          },
        );
        break;
      case 'page': {
        if (effect.via.includes('dm')) {
          for (const person of effect.people) {
            await deps.notifier.deliverIncident(id, {
              type: 'post',
              topic: { kind: 'dm', person, level: effect.level, repeat: effect.repeat },
            });
          }
        }
        if (!effect.via.includes('pagerduty')) break;
        if (deps.pager) await addPagerJob(deps, id, 'trigger', effect.level, effect.repeat);
        else
          await deps.notifier.deliverIncident(id, {
            type: 'post',
            topic: {
              kind: 'note',
              // Once per incident, not at every repeat of every level: the thread says it, and it stays true.
              key: 'pager-off',
              text: '⚠️ Pages of this incident should also go through PagerDuty, but PAGERDUTY_ROUTING_KEY is not set: the people paged are only mentioned in chat. Set it and restart Preflight.',
            },
          });
        break;
      }
      case 'emergency-run':
        await deps.checks.add(
          'incident.emergency',
          { kind: 'incident-emergency', incidentId: id, which: effect.which, by: effect.by },
          { jobId: jobId('iem', id, effect.which, effect.at) },
        );
        break;
      case 'pager-update': {
        if (!deps.pager) break;
        const incident = await deps.engine.incidents.get(id);
        const runbook = incident ? await deps.engine.runbooks.pinned(incident.runbookDigest) : undefined;
        // Every page that reached PagerDuty is its own alert (see pagerEvent): each is acknowledged or resolved.
        const sent = (incident?.pages ?? []).filter((p) =>
          runbook?.escalation.levels[p.level]?.via?.includes('pagerduty'),
        );
        for (const page of sent) await addPagerJob(deps, id, effect.action, page.level, page.repeat);
        break;
      }
    }
  }
}
