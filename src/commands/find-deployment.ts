/** Which deployment a command is about: the one named, the thread's, or the only active one. */
import {
  type Deployment,
  linkChannel,
  noSuchIncident,
  quoted,
  type Runbook,
  type RunbookCatalog,
  UserError,
} from '../core/index.ts';
import type { CommandContext } from './command.ts';

/** `shop-12`: a service's name (lower-case) and its number, as Preflight writes it (on buttons, in messages). */
export const DEPLOYMENT_ID = /^[a-z][a-z0-9-]*-\d+$/;
/** A deployment id as a person may type it, in any case (`SHOP-12`), as a service may be typed (`SHOP`). */
export const TYPED_DEPLOYMENT_ID = /^[a-z][a-z0-9-]*-\d+$/i;
/** A deployment id as typed, in the case ids are made in: `SHOP-12` is `shop-12`; any other word stays as it is. */
export const foldDeploymentId = (word: string): string =>
  TYPED_DEPLOYMENT_ID.test(word) ? word.toLowerCase() : word;
/**
 * The service a word is shaped as a deployment id of, though it is none (`shop-l`, `Shop-one`, `shop1`, `shop_1`:
 * `shop`): a mistyped id, never a reason or a service. The longest service wins (`shop-api-x` is `shop-api`'s).
 */
export function idShapedService(runbooks: RunbookCatalog, word: string): string | undefined {
  const folded = word.toLowerCase();
  const shaped = (service: string) => {
    const rest = folded.slice(service.length);
    return folded.startsWith(service) && (/^-./.test(rest) || /^[_.#:]?\d+$/.test(rest));
  };
  return runbooks
    .services()
    .filter((s) => shaped(s.toLowerCase()))
    .sort((a, b) => b.length - a.length)[0];
}

/** `INC-7` (any case): an incident named where a deployment is expected stands for its deployment. */
export const INCIDENT_ID = /^inc-\d+$/i;
/** `INC-l`, `inc-one`: an incident id typed wrong, never a reason or a service. */
export const INCIDENT_SHAPED = /^inc-./i;

/**
 * Finds the deployment and its pinned runbook, or explains which ones there are. An incident named, or the incident
 * thread the command was typed in, stands for the incident's deployment; for an incident about none, the answer
 * says what to type instead (`typeInstead`: the command, naming `<deployment>`).
 */
export async function findDeployment(
  ctx: CommandContext,
  id: string | undefined,
  typeInstead: string,
  options: { readonly anyChannel?: boolean } = {},
): Promise<{ deployment: Deployment; runbook: Runbook } | UserError> {
  const { store, runbooks } = ctx.services.engine;
  const named = id ?? ctx.threadDeployment;
  const wanted =
    named !== undefined && INCIDENT_ID.test(named)
      ? await incidentDeployment(ctx, named, typeInstead)
      : named !== undefined
        ? foldDeploymentId(named)
        : undefined;
  if (wanted instanceof UserError) return wanted;
  if (wanted !== undefined) {
    const deployment = await store.get(wanted);
    if (!deployment) {
      const service = runbooks.current(wanted)?.runbook.service;
      if (service !== undefined) return serviceNamed(ctx, service);
      const shapedOf = idShapedService(runbooks, wanted);
      if (shapedOf !== undefined) return mistypedId(ctx, wanted, shapedOf, typeInstead);
      if (INCIDENT_SHAPED.test(wanted)) return noSuchIncident(wanted);
      const recent = (await store.list({ limit: 5 })).map((d) => d.id);
      return new UserError(
        'UNKNOWN_DEPLOYMENT',
        `there is no deployment ${quoted(wanted)}; ${recent.length > 0 ? `recent ones: ${recent.join(', ')}` : 'none has been started yet: /deploy start <service> <version> starts one'}`,
      );
    }
    return { deployment, runbook: await runbooks.pinned(deployment.runbookDigest) };
  }
  const active = await store.list({ activeOnly: true, limit: 20 });
  // Typed in a channel, it means a deployment followed there, never one another team follows in theirs.
  const here: Deployment[] = [];
  const elsewhere: Deployment[] = [];
  for (const d of active)
    (!options.anyChannel && (await followedElsewhere(ctx, d)) ? elsewhere : here).push(d);
  if (here.length === 1 && here[0])
    return { deployment: here[0], runbook: await runbooks.pinned(here[0].runbookDigest) };
  if (here.length === 0 && elsewhere.length > 0) return activeElsewhere(ctx, elsewhere, typeInstead);
  if (active.length === 0)
    return new UserError('UNKNOWN_DEPLOYMENT', 'no deployment is active; name one (see /deploy history)');
  return new UserError(
    'UNKNOWN_DEPLOYMENT',
    `${active.length} deployments are active (${active.map((d) => d.id).join(', ')}); name the one you mean`,
  );
}

/**
 * True when `d` is followed in other channels of the platform the command was typed on: its thread, and the thread
 * of its open incident, are elsewhere.
 */
export async function followedElsewhere(ctx: CommandContext, d: Deployment): Promise<boolean> {
  const { messages, engine } = ctx.services;
  const root = await messages?.find(d.id, 'status');
  if (root === undefined || root.platform !== ctx.platform || root.channel === ctx.channel) return false;
  const incident = await engine.incidents.openFor(d.id);
  const incidentRoot = incident ? await messages?.find(incident.id, 'incident') : undefined;
  return incidentRoot?.platform !== ctx.platform || incidentRoot.channel !== ctx.channel;
}

/** No deployment is active where the command was typed: the ones active elsewhere, and what to type for them. */
async function activeElsewhere(
  ctx: CommandContext,
  active: readonly Deployment[],
  typeInstead: string,
): Promise<UserError> {
  const where = await Promise.all(
    active.map(async (d) => {
      const { channels } = await ctx.services.engine.runbooks.pinned(d.runbookDigest);
      return `${d.id}${active.length === 1 ? ' is' : ''}, followed in ${linkChannel(channels.deploy)}`;
    }),
  );
  const [only] = active;
  return new UserError(
    'UNKNOWN_DEPLOYMENT',
    only && active.length === 1
      ? `no deployment is active in this channel; ${where[0]}: to act on it, name it: \`${typeInstead.replace('<deployment>', only.id)}\``
      : `no deployment is active in this channel; these are: ${where.join('; ')}. Name the one you mean: \`${typeInstead}\``,
  );
}

/** A word shaped as a deployment id of `service` that is none: that service's deployments under way, and what to type. */
async function mistypedId(
  ctx: CommandContext,
  word: string,
  service: string,
  typeInstead: string,
): Promise<UserError> {
  const { store } = ctx.services.engine;
  const active = (await store.list({ service, activeOnly: true, limit: 20 })).map((d) => d.id);
  const [only] = active;
  const recent = (await store.list({ service, limit: 5 })).map((d) => d.id);
  return new UserError(
    'UNKNOWN_DEPLOYMENT',
    `there is no deployment ${quoted(word)}; ${
      only !== undefined && active.length === 1
        ? `under way: ${only}; type ${typeInstead.replace('<deployment>', only)}`
        : active.length > 1
          ? `under way: ${active.join(', ')}; type ${typeInstead} with one of them`
          : `${service} has none under way${recent.length > 0 ? ` (recent: ${recent.join(', ')})` : ''}; see /deploy history ${service}`
    }`,
  );
}

/** A service named where a deployment is meant (`service`: its runbook's name): its recent deployments. */
async function serviceNamed(ctx: CommandContext, service: string): Promise<UserError> {
  const recent = (await ctx.services.engine.store.list({ service, limit: 5 })).map((d) => d.id);
  return new UserError(
    'UNKNOWN_DEPLOYMENT',
    recent.length > 0
      ? `${quoted(service)} is a service, not a deployment: name one of its deployments (${recent.join(', ')}), or see /deploy history ${service}`
      : `${quoted(service)} is a service, not a deployment, and it has no deployments yet`,
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
  if (!incident) return noSuchIncident(named);
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
