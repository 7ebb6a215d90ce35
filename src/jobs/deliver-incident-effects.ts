/** Incident effects: messages and DMs through the notifier, PagerDuty events, and the next page's timer. */
import type { Queue } from 'bullmq';
import type { EngineDeps, IncidentEffect, Notifier, Pager, PagerEvent } from '../core/index.ts';
import { type CheckJob, jobId, type TimerJob } from './job-types.ts';

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
            jobId: jobId('pg', id, effect.page.level, effect.page.repeat, Math.round(effect.page.after)),
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
        if (effect.via.includes('pagerduty') && deps.pager)
          await deps.pager.send(await pagerEvent(deps, id, 'trigger', effect.level, effect.repeat));
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
        for (const page of sent)
          await deps.pager.send(await pagerEvent(deps, id, effect.action, page.level, page.repeat));
        break;
      }
    }
  }
}

/**
 * A PagerDuty event for one page of an incident. Each level, and each repeat of the last level, has its own
 * dedup_key: PagerDuty merges a trigger with the key of an open alert into that alert without notifying anyone,
 * so a repeat under the same key would end silently.
 */
async function pagerEvent(
  deps: IncidentDeliveryDeps,
  id: string,
  action: PagerEvent['action'],
  level: number,
  repeat: number,
): Promise<PagerEvent> {
  const incident = await deps.engine.incidents.get(id);
  const runbook = incident ? await deps.engine.runbooks.pinned(incident.runbookDigest) : undefined;
  const levelId = runbook?.escalation.levels[level]?.id ?? `L${level + 1}`;
  const people = runbook?.escalation.levels[level]?.notify ?? [];
  return {
    action,
    dedupKey: `preflight/${id}/${levelId}${repeat > 0 ? `/repeat-${repeat}` : ''}`,
    summary:
      `[${levelId}${repeat > 0 ? ` again ${repeat}` : ''}] ${incident?.service ?? ''} ${incident?.environment ?? ''}: ${incident?.title ?? id}`.slice(
        0,
        1024,
      ),
    source: `preflight/${incident?.service ?? 'unknown'}`,
    severity: 'critical',
    ...(incident && { component: incident.service, group: incident.environment }),
    details: {
      incident: id,
      escalation_level: levelId,
      repeat,
      notify: people,
      pagerduty_users: people.map((p) => runbook?.people[p]?.pagerduty).filter(Boolean),
      deployment: incident?.deploymentId ?? null,
      trigger: incident?.trigger ?? null,
    },
  };
}
