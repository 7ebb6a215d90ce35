/** Explains who holds a service/environment lock, and what to do about it. */
import { literal } from '../chat/outside-text.ts';
import type { Deployment } from '../deployment/deployment.ts';
import { describeState } from '../deployment/transition.ts';
import type { IncidentStore } from '../incident-store-port.ts';
import type { DeploymentStore, LockHolder } from '../ports.ts';
import { formatDuration } from '../runbook/duration.ts';
import type { Runbook } from '../runbook/schema.ts';
import { formatZoned } from '../schedule/zoned-time.ts';

/** The incident about a deployment, the most recent first (open or not). */
export async function incidentOfDeployment(
  incidents: IncidentStore | undefined,
  deployment: Pick<Deployment, 'id' | 'service'>,
): Promise<string | undefined> {
  if (!incidents) return undefined;
  const open = await incidents.openFor(deployment.id);
  if (open) return open.id;
  const recent = await incidents.list({ service: deployment.service, limit: 50 });
  return recent.find((i) => i.deploymentId === deployment.id)?.id;
}

/**
 * A manual lock's reason where a sentence gives it: `given` shapes the reason as written (`: db maintenance`,
 * ` (db maintenance)`); a lock taken without one says so in Preflight's own words, never where a reason would stand.
 */
export function lockReason(reason: string, given: (shown: string) => string): string {
  return reason === '' ? ', no reason given' : given(literal(reason));
}

/** One sentence: who holds the lock and how to get it released. */
export async function describeLockHolder(
  store: DeploymentStore,
  target: Pick<Deployment, 'service' | 'environment'>,
  holder: LockHolder,
  now: number,
  incidents?: IncidentStore,
  /** The runbook's people, to name a lock's owner by name rather than by id. */
  people?: Runbook['people'],
  /** The runbook's time zone: a manual lock then also says when it ends there. */
  zone?: string,
): Promise<string> {
  const what = `${target.service} ${target.environment}`;
  const name = (id: string) => people?.[id]?.name ?? id;
  if (holder.kind === 'manual') {
    const left = formatDuration(Math.max(1, Math.round((holder.expiresAt - now) / 60_000)) * 60_000);
    const until =
      zone === undefined ? '' : ` (until ${formatZoned(holder.expiresAt, zone, 'yyyy-MM-dd HH:mm')} ${zone})`;
    return `${what} is locked by ${name(holder.owner)} for another ${left}${until}${lockReason(holder.reason, (r) => `: ${r}`)}. Ask them, or /deploy unlock ${target.service} ${target.environment}`;
  }
  if (holder.kind === 'rollback') {
    const incident = await incidentOfDeployment(incidents, { id: holder.id, service: target.service });
    const why =
      holder.state === 'rollback_failed'
        ? 'failed to roll back'
        : holder.state === 'aborted'
          ? 'was aborted while it rolled back'
          : 'was rolled back';
    return `${what} is locked since deployment ${holder.id} ${why}${incident ? ` (${incident})` : ''}: ${literal(holder.reason)}. Once it is safe to deploy again: /deploy unlock ${target.service} ${target.environment} <reason>`;
  }
  const detail = await deploymentDetail(store, holder.id, people);
  return `${what} is busy with deployment ${holder.id}${detail}; wait for it to finish, or /deploy abort ${holder.id}`;
}

/**
 * A manual lock asked for while a deployment holds the service: nothing is locked (a lock holds off deployments
 * not yet started); says which deployment holds it and how to hold it or stop it.
 */
export async function lockRefusedByDeployment(
  store: DeploymentStore,
  target: Pick<Deployment, 'service' | 'environment'>,
  id: string,
  people?: Runbook['people'],
): Promise<string> {
  const detail = await deploymentDetail(store, id, people);
  return `${target.service} ${target.environment} is busy with deployment ${id}${detail}, so nothing was locked: a lock holds off deployments not yet started. /deploy pause ${id} keeps it from starting another step; /deploy abort ${id} stops it`;
}

/** ` (v1.0.0 by Ann, waiting for approvals)`: the deployment holding a service, or nothing when it is gone. */
async function deploymentDetail(
  store: DeploymentStore,
  id: string,
  people: Runbook['people'] | undefined,
): Promise<string> {
  const other = await store.get(id);
  if (!other) return '';
  return ` (${other.version} by ${people?.[other.requestedBy]?.name ?? other.requestedBy}, ${describeState(other.state)})`;
}
