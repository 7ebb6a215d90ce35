/** Explains who holds a service/environment lock, and what to do about it. */
import type { Deployment } from '../deployment/deployment.ts';
import { describeState } from '../deployment/transition.ts';
import type { DeploymentStore, LockHolder } from '../ports.ts';

/** One sentence: who holds the lock and how to get it released. */
export async function describeLockHolder(
  store: DeploymentStore,
  target: Pick<Deployment, 'service' | 'environment'>,
  holder: LockHolder,
  now: number,
): Promise<string> {
  const what = `${target.service} ${target.environment}`;
  if (holder.kind === 'manual') {
    const minutes = Math.max(1, Math.round((holder.expiresAt - now) / 60_000));
    return `${what} is locked by ${holder.owner} for another ${minutes} min: ${holder.reason}. Ask them, or /deploy unlock ${target.service} ${target.environment}`;
  }
  const other = await store.get(holder.id);
  const detail = other ? ` (${other.version} by ${other.requestedBy}, ${describeState(other.state)})` : '';
  return `${what} is busy with deployment ${holder.id}${detail}; wait for it to finish, or /deploy abort ${holder.id}`;
}
