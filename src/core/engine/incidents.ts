/** Opening incidents against the store, one per cause, with compare-and-set retries (their events: incident-events.ts). */
import type { Caller } from '../access/caller.ts';
import { requirePermission } from '../access/permissions.ts';
import type { Platform } from '../chat/chat-types.ts';
import { SYSTEM_ACTOR } from '../deployment/events.ts';
import { UserError } from '../errors.ts';
import type { Incident, Measurement } from '../incident/incident.ts';
import { openIncident } from '../incident/incident-transition.ts';
import { resolveEnvironment } from '../params/check-parameters.ts';
import { maskLine, maskText } from '../redact/person-text.ts';
import type { Runbook } from '../runbook/schema.ts';
import type { EngineDeps } from './apply-event.ts';
import { ALERT_RESOLVED, applyIncidentEvent, type IncidentOutcome } from './incident-events.ts';
import { identifyOrRefuse, recordIfRefusal } from './record-refusal.ts';
import { unknownService } from './start-deployment.ts';

export interface OpenIncidentRequest {
  readonly title: string;
  readonly trigger: string;
  /** `preflight` (the default) for triggers and alerts; a person is authorized (`permissions.incident`). */
  readonly openedBy?: string;
  /** A person asking through an adapter: identified here, and then the one who opened it. */
  readonly caller?: Caller;
  /** The deployment it is about, if any (its service, environment and runbook are used). */
  readonly deploymentId?: string;
  readonly service?: string;
  readonly environment?: string;
  readonly origin?: Platform;
  readonly health?: string;
  /** The value the trigger measured against its threshold (and baseline). */
  readonly measured?: Measurement;
  /** The Alertmanager alerts that are the cause (`fingerprint@startsAt`), when alerts are. */
  readonly alerts?: readonly string[];
}

/** Tries at a new incident's number, each lost only to another incident opened meanwhile. */
const OPEN_ATTEMPTS = 100;

interface Target {
  readonly runbook: Runbook;
  readonly digest: string;
  readonly service: string;
  readonly environment: string;
  readonly origin: Platform;
}

async function target(deps: EngineDeps, request: OpenIncidentRequest): Promise<Target | UserError> {
  if (request.deploymentId !== undefined) {
    const d = await deps.store.get(request.deploymentId);
    if (!d) return new UserError('UNKNOWN_DEPLOYMENT', `there is no deployment "${request.deploymentId}"`);
    return {
      runbook: await deps.runbooks.pinned(d.runbookDigest),
      digest: d.runbookDigest,
      service: d.service,
      environment: d.environment,
      origin: request.origin ?? d.origin,
    };
  }
  const loaded = request.service !== undefined ? deps.runbooks.current(request.service) : undefined;
  if (!loaded) return unknownService(request.service ?? '', deps.runbooks.services());
  const environment = resolveEnvironment(loaded.runbook, request.environment);
  if (environment instanceof UserError) return environment;
  await deps.runbooks.pin(loaded);
  return {
    runbook: loaded.runbook,
    digest: loaded.digest,
    service: loaded.runbook.service,
    environment,
    origin: request.origin ?? 'console',
  };
}

/** The person opening the incident (identified from the caller), if they hold `permissions.incident`. */
async function authorizeOpener(
  deps: EngineDeps,
  found: { runbook: Runbook; service: string },
  request: OpenIncidentRequest,
): Promise<string | UserError> {
  const about = { subject: request.deploymentId ?? `service:${found.service}`, action: 'incident.open' };
  const { caller } = request;
  const person = caller
    ? await identifyOrRefuse(deps, found.runbook, caller, about)
    : (request.openedBy ?? SYSTEM_ACTOR);
  if (person instanceof UserError || person === SYSTEM_ACTOR) return person;
  const refused = requirePermission(
    found.runbook,
    person,
    'incident',
    `open an incident for ${found.service}`,
  );
  if (!refused) return person;
  await recordIfRefusal(deps, refused, {
    ...about,
    actor: person,
    via: caller?.via ?? 'api',
    ...(caller?.request !== undefined && { request: caller.request }),
  });
  return refused;
}

/**
 * Opens an incident and pages the first level. When the deployment (or the service and environment) already has
 * an open incident, the cause is added to it instead: the store decides atomically, so racing triggers, webhooks
 * and jobs open one incident. Alerts count once per firing, from the webhook or the poll: a cause whose alerts were
 * all reported before (counted, or reported resolved) is refused with ALREADY_DONE and changes nothing.
 */
export async function openIncidentFor(
  deps: EngineDeps,
  given: OpenIncidentRequest,
): Promise<IncidentOutcome> {
  // A title or health text from outside (alert labels and annotations, a person's words) is stored, audited and
  // sent to PagerDuty: a credential in it is masked here, where every way in meets.
  const request: OpenIncidentRequest = {
    ...given,
    title: maskLine(given.title, deps.redactor),
    ...(given.health !== undefined && { health: maskText(given.health, deps.redactor) }),
  };
  const found = await target(deps, request);
  if (found instanceof UserError) return { ok: false, error: found };
  const openedBy = await authorizeOpener(deps, found, request);
  if (openedBy instanceof UserError) return { ok: false, error: openedBy };
  if (request.alerts === undefined) return openOrAdd(deps, request, found, openedBy);
  // One firing of an alert counts once, whichever path reports it: a firing counted before (its incident may be
  // resolved since) or already reported resolved (a poll answered by Alertmanager's lagging API) opens nothing.
  // One reported resolved after this look and before the write refuses the write (the store checks it there):
  // look again, without it, so a resolved alert never pages. Each round leaves one firing or more out.
  const { service, environment } = found;
  for (let round = 0; round <= request.alerts.length; round++) {
    const reported = await deps.incidents.reportedAlerts(service, environment, request.alerts);
    const alerts = request.alerts.filter((a) => !reported.has(a));
    if (alerts.length === 0)
      return {
        ok: false,
        error: new UserError('ALREADY_DONE', 'these alerts were reported before; each firing counts once'),
      };
    const outcome = await openOrAdd(deps, { ...request, alerts }, found, openedBy);
    if (!outcome.ok && outcome.alertResolved) continue;
    // The write marked them counted; a cause the incident knew already wrote nothing: noted here too.
    if (outcome.ok) await deps.incidents.noteAlerts(service, environment, alerts, 'counted');
    return outcome;
  }
  return ALERT_RESOLVED;
}

async function openOrAdd(
  deps: EngineDeps,
  request: OpenIncidentRequest,
  found: Target,
  openedBy: string,
): Promise<IncidentOutcome> {
  const now = deps.clock.now();
  const addTo = async (open: Incident): Promise<IncidentOutcome> => {
    // An incident declared for the service, before this deployment's trouble was found: it becomes the deployment's.
    const link =
      request.deploymentId !== undefined && open.deploymentId === undefined
        ? {
            deploymentId: request.deploymentId,
            ...(request.health !== undefined && { health: request.health }),
          }
        : undefined;
    const added = await applyIncidentEvent(deps, open.id, {
      type: 'incident.cause',
      cause: {
        trigger: request.trigger,
        title: request.title,
        by: openedBy,
        at: now,
        ...(request.measured !== undefined && { measured: request.measured }),
        ...(request.alerts !== undefined && { alerts: request.alerts }),
      },
      ...(link && { link }),
    });
    return added.ok ? { ...added, existing: true } : added;
  };
  // The number is taken when the incident is written: a conflict means another incident took it first (each
  // one is progress for somebody), and the open incident is looked for again before the next number is asked for.
  for (let attempt = 0; attempt < OPEN_ATTEMPTS; attempt++) {
    const open = await openIncidentOf(deps, {
      service: found.service,
      environment: found.environment,
      ...(request.deploymentId !== undefined && { deploymentId: request.deploymentId }),
    });
    if (open) {
      const added = await addTo(open);
      // The deployment's own incident was opened meanwhile: the cause goes to that one, looked up again.
      if (!added.ok && added.taken !== undefined) continue;
      return added;
    }
    const result = openIncident(
      { runbook: found.runbook, now },
      {
        id: await deps.incidents.nextId(),
        service: found.service,
        environment: found.environment,
        runbookDigest: found.digest,
        origin: found.origin,
        title: request.title,
        trigger: request.trigger,
        openedBy,
        openedAt: now,
        ...(request.deploymentId !== undefined && { deploymentId: request.deploymentId }),
        ...(request.health !== undefined && { health: request.health }),
        ...(request.measured !== undefined && { measured: request.measured }),
        ...(request.alerts !== undefined && { alerts: request.alerts }),
      },
    );
    if (!result.ok) return result;
    const outcome = await deps.incidents.commit({
      before: undefined,
      after: result.incident,
      audit: result.audit,
      effects: result.effects,
      at: now,
    });
    if (outcome === 'resolved') return ALERT_RESOLVED;
    if (typeof outcome === 'object') {
      const existing = await deps.incidents.get(outcome.exists);
      if (!existing) continue;
      const added = await addTo(existing);
      if (!added.ok && added.taken !== undefined) continue;
      return added;
    }
    if (outcome === 'committed') return { ok: true, incident: result.incident };
  }
  throw new Error(`no incident for ${found.service}: ${OPEN_ATTEMPTS} others took the next number first`);
}

/**
 * The incident open for this trouble: the deployment's own, else the one declared for its service and environment;
 * without a deployment, also one open for a deployment there. One outage is one incident, whether a person declared
 * it first or a trigger found it first; a new deployment's trouble does not join an older deployment's incident.
 */
export async function openIncidentOf(
  deps: Pick<EngineDeps, 'incidents'>,
  where: { readonly service: string; readonly environment: string; readonly deploymentId?: string },
): Promise<Incident | undefined> {
  const own = where.deploymentId !== undefined ? await deps.incidents.openFor(where.deploymentId) : undefined;
  if (own) return own;
  const declared = await deps.incidents.openForService(where.service, where.environment);
  if (declared || where.deploymentId !== undefined) return declared;
  const open = await deps.incidents.list({ openOnly: true, service: where.service, limit: 50 });
  return open.find((i) => i.environment === where.environment && i.state !== 'resolved');
}
