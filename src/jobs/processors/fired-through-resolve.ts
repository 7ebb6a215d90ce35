/**
 * A trigger that kept firing through the resolve of its deployment's incident: someone judged the trouble handled
 * while it still showed (a rollback whose service is still coming up, a fix that takes a moment). A new incident
 * waits until the trigger has kept firing for as long as the runbook says trouble must last (`failing_for`, else
 * three judgements) after the resolve: the person who resolved is not paged at once for what they just saw, nor
 * left unpaged when it does not recover. The resolved incident's thread is told, once, while it waits.
 */
import { applyIncidentEvent, type Deployment, type Incident, type RunbookTrigger } from '../../core/index.ts';
import type { ProcessorDeps } from './processor-deps.ts';

/** Incidents of the service looked through for the deployment's latest one. */
const LOOK_BACK = 20;

/** The deployment's latest incident, when it is resolved (none open). */
async function resolvedLatest(deps: ProcessorDeps, deployment: Deployment): Promise<Incident | undefined> {
  if (await deps.engine.incidents.openFor(deployment.id)) return undefined;
  const recent = await deps.engine.incidents.list({ service: deployment.service, limit: LOOK_BACK });
  const latest = recent.find((i) => i.deploymentId === deployment.id);
  return latest?.state === 'resolved' ? latest : undefined;
}

/**
 * True while a firing trigger that was already firing when the deployment's incident was resolved (`firing.since`)
 * must wait before it opens a new one; says so in the resolved incident's thread.
 */
export async function waitsAfterResolve(
  deps: ProcessorDeps,
  deployment: Deployment,
  trigger: RunbookTrigger,
  firing: { readonly since: number; readonly detail: string },
  cadenceMs: number,
): Promise<boolean> {
  const resolved = await resolvedLatest(deps, deployment);
  const at = resolved?.resolution?.at;
  if (!resolved || at === undefined || firing.since > at) return false;
  const grace = trigger.failing_for ?? 3 * cadenceMs;
  if (deps.engine.clock.now() - at >= grace) return false;
  // Said once in the resolved incident's thread (the incident records it), however many judgements wait.
  await applyIncidentEvent(deps.engine, resolved.id, {
    type: 'incident.still-firing',
    trigger: trigger.id,
    title: trigger.title ?? trigger.id,
    detail: firing.detail,
    waitMs: grace,
  });
  return true;
}
