/** Which deployment a command is about: the one named, the thread's, or the only active one. */
import { type Deployment, type Runbook, UserError } from '../core/index.ts';
import type { CommandContext } from './command.ts';

export const DEPLOYMENT_ID = /^[a-z][a-z0-9-]*-\d+$/;

/** Finds the deployment and its pinned runbook, or explains which ones there are. */
export async function findDeployment(
  ctx: CommandContext,
  id: string | undefined,
): Promise<{ deployment: Deployment; runbook: Runbook } | UserError> {
  const { store, runbooks } = ctx.services.engine;
  const wanted = id ?? ctx.threadDeployment;
  if (wanted !== undefined) {
    const deployment = await store.get(wanted);
    if (!deployment) {
      const recent = (await store.list({ limit: 5 })).map((d) => d.id);
      return new UserError(
        'UNKNOWN_DEPLOYMENT',
        `there is no deployment "${wanted}"${recent.length > 0 ? `; recent ones: ${recent.join(', ')}` : ''}`,
      );
    }
    return { deployment, runbook: await runbooks.pinned(deployment.runbookDigest) };
  }
  const active = await store.list({ activeOnly: true, limit: 20 });
  if (active.length === 1 && active[0])
    return { deployment: active[0], runbook: await runbooks.pinned(active[0].runbookDigest) };
  if (active.length === 0)
    return new UserError('UNKNOWN_DEPLOYMENT', 'no deployment is active; name one (see /deploy history)');
  return new UserError(
    'UNKNOWN_DEPLOYMENT',
    `${active.length} deployments are active (${active.map((d) => d.id).join(', ')}); name the one you mean`,
  );
}
