/** Which deployment a command is about: the one named, the thread's, or the only active one. */
import { type Deployment, type Runbook, UserError } from '../core/index.ts';
import type { CommandContext } from './command.ts';

export const DEPLOYMENT_ID = /^[a-z][a-z0-9-]*-\d+$/;
/** `INC-7` (any case): an incident named where a deployment is expected stands for its deployment. */
export const INCIDENT_ID = /^inc-\d+$/i;

/**
 * Finds the deployment and its pinned runbook, or explains which ones there are. An incident named, or the incident
 * thread the command was typed in, stands for the incident's deployment; for an incident about none, the answer
 * says what to type instead (`typeInstead`: the command, naming `<deployment>`).
 */
export async function findDeployment(
  ctx: CommandContext,
  id: string | undefined,
  typeInstead: string,
): Promise<{ deployment: Deployment; runbook: Runbook } | UserError> {
  const { store, runbooks } = ctx.services.engine;
  const named = id ?? ctx.threadDeployment;
  const wanted =
    named !== undefined && INCIDENT_ID.test(named)
      ? await incidentDeployment(ctx, named, typeInstead)
      : named;
  if (wanted instanceof UserError) return wanted;
  if (wanted !== undefined) {
    const deployment = await store.get(wanted);
    if (!deployment) {
      if (runbooks.current(wanted)) return serviceNamed(ctx, wanted);
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

/** A service named where a deployment is meant: its own recent deployments, to name one of. */
async function serviceNamed(ctx: CommandContext, service: string): Promise<UserError> {
  const recent = (await ctx.services.engine.store.list({ service, limit: 5 })).map((d) => d.id);
  return new UserError(
    'UNKNOWN_DEPLOYMENT',
    recent.length > 0
      ? `"${service}" is a service, not a deployment: name one of its deployments (${recent.join(', ')}), or see /deploy history ${service}`
      : `"${service}" is a service, not a deployment, and it has no deployments yet`,
  );
}

/** The deployment an incident is about, or what to type instead. */
async function incidentDeployment(
  ctx: CommandContext,
  named: string,
  typeInstead: string,
): Promise<string | UserError> {
  const { incidents, store } = ctx.services.engine;
  const incident = await incidents.get(named.toUpperCase());
  if (!incident) return new UserError('NO_INCIDENT', `there is no incident "${named}"; see /incident status`);
  if (incident.deploymentId !== undefined) return incident.deploymentId;
  const recent = (await store.list({ service: incident.service, limit: 20 }))
    .filter((d) => d.environment === incident.environment)
    .slice(0, 3)
    .map((d) => d.id);
  const where = `${incident.service} ${incident.environment}`;
  const these = recent.length > 0 ? ` (recent ones for ${where}: ${recent.join(', ')})` : '';
  return new UserError(
    'UNKNOWN_DEPLOYMENT',
    `${incident.id} was declared for ${where} and is about no deployment; name the deployment: ${typeInstead}${these}`,
  );
}
