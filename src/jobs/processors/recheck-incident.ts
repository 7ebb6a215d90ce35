/**
 * The re-check before an escalation step: the triggers behind an incident are judged again, fresh. When every one
 * has cleared, the page is not sent. Incidents a person declared are never cleared by a probe. A trigger whose
 * monitoring does not answer within 2 s counts as last judged (judge-within.ts).
 */
import type { Incident } from '../../core/index.ts';
import { judgeWithin } from './judge-within.ts';
import type { ProcessorDeps } from './processor-deps.ts';

export type Recheck =
  | { readonly cleared: true; readonly detail: string }
  | { readonly cleared: false; readonly detail?: string };

/** Judges the incident's triggers now. */
export async function recheckIncident(deps: ProcessorDeps, incident: Incident): Promise<Recheck> {
  const ids = [incident.trigger, ...(incident.causes ?? []).map((c) => c.trigger)];
  if (ids.includes('manual')) return { cleared: false };
  const runbook = await deps.engine.runbooks.pinned(incident.runbookDigest);
  const deployment =
    incident.deploymentId === undefined ? undefined : await deps.engine.store.get(incident.deploymentId);
  const seen: string[] = [];
  for (const id of new Set(ids)) {
    const trigger = runbook.rollback?.triggers?.find((t) => t.id === id);
    if (!trigger || trigger.manual) return { cleared: false };
    const verdict = await judgeWithin(deps, runbook, deployment, trigger, {
      fresh: true,
      environment: incident.environment,
    });
    if (verdict.state !== 'quiet')
      return { cleared: false, detail: `${id}: ${verdict.state}, ${verdict.detail}` };
    seen.push(`${trigger.title ?? id}: ${verdict.detail}`);
  }
  return { cleared: true, detail: seen.join('; ') };
}
