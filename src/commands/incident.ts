/** `/incident open [<deployment>|<service> [<environment>]] <what happened> [--environment=…]`, `/incident status [<id>]`, `/incident resolve <id> [note]` */
import * as z from 'zod';
import {
  alertsLeftFiring,
  applyPersonIncidentAction,
  findEnvironment,
  formatDuration,
  type Incident,
  incidentOfDeployment,
  linkThread,
  literal,
  noSuchIncident,
  openIncidentFor,
  quoted,
  type Runbook,
  UserError,
} from '../core/index.ts';
import { type Command, type CommandContext, callerOf, privately, publicly } from './command.ts';
import {
  findDeployment,
  foldDeploymentId,
  INCIDENT_ID,
  idShapedService,
  TYPED_DEPLOYMENT_ID,
} from './find-deployment.ts';
import {
  joinText,
  Keyword,
  parseArgs,
  TextWord,
  takeValueOption,
  tooLongError,
  WORD_MAX,
  Word,
} from './parse-words.ts';
import { incidentPostRefused } from './refused-thread.ts';

const openUsage =
  '/incident open [<deployment>|<service> [<environment>]] <what happened> [--environment=<environment>]';
// Free text is held to its length in characters (joinText), however many words it is typed as.
const Words = z.array(TextWord);
// Which words are what happened depends on the runbook's environments (run): their length is checked as a whole there.
const OpenWords = z.array(z.string());

interface OpenArgs {
  readonly words: string[];
  /** Named with `--environment=`, not read from the words. */
  readonly environment?: string;
}

/** The incident of the thread the command was typed in: the incident's own, or its deployment's open one. */
async function threadIncident(ctx: CommandContext): Promise<string | undefined> {
  const thread = ctx.threadDeployment;
  if (thread === undefined || INCIDENT_ID.test(thread)) return thread;
  return (await ctx.services.engine.incidents.openFor(thread))?.id;
}

/**
 * The incident named (or the open one of the deployment named), else the thread's, else the only open one. Typed in a deployment's thread, it is that
 * deployment's open incident or none: never another service's only open incident. `retype` is the command with
 * the incident to name (`/ack <incident>`), for the answer when there is none.
 */
export async function findIncident(
  ctx: CommandContext,
  named: string | undefined,
  retype = '<command> <incident>',
): Promise<Incident> {
  const store = ctx.services.engine.incidents;
  const id = named ?? (await threadIncident(ctx));
  // A deployment named (`/ack shop-1`) means its open incident, as its thread does.
  const deploymentId = id !== undefined && !INCIDENT_ID.test(id) ? foldDeploymentId(id) : undefined;
  if (deploymentId !== undefined && TYPED_DEPLOYMENT_ID.test(deploymentId)) {
    if (await ctx.services.engine.store.get(deploymentId)) {
      const open = await store.openFor(deploymentId);
      if (open) return open;
      throw await noThreadIncident(ctx, deploymentId, retype);
    }
  }
  if (id !== undefined) {
    const incident = await store.get(id.toUpperCase());
    if (!incident) throw noSuchIncident(id);
    return incident;
  }
  if (ctx.threadDeployment !== undefined) throw await noThreadIncident(ctx, ctx.threadDeployment, retype);
  const open = await store.list({ openOnly: true, limit: 10 });
  if (open.length === 1 && open[0]) return open[0];
  if (open.length === 0) throw new UserError('NO_INCIDENT', 'no incident is open');
  throw new UserError(
    'NO_INCIDENT',
    `${open.length} incidents are open (${open.map((i) => i.id).join(', ')}); name the one you mean`,
  );
}

/** A deployment's thread with no open incident: which one it had, and how to name another. */
async function noThreadIncident(
  ctx: CommandContext,
  deploymentId: string,
  retype: string,
): Promise<UserError> {
  const { engine } = ctx.services;
  const deployment = await engine.store.get(deploymentId);
  const last = deployment ? await incidentOfDeployment(engine.incidents, deployment) : undefined;
  return new UserError(
    'NO_INCIDENT',
    `${deploymentId} has no open incident${last ? ` (${last} is resolved)` : ''}; name the incident: ${retype} (/incident status lists the open ones)`,
  );
}

function describe(incident: Incident, now: number, people: Runbook['people']): string {
  // Whole minutes once it is a minute old; seconds before (a minute rounded down read "0s ago").
  const ms = Math.max(0, now - incident.openedAt);
  const age = formatDuration(ms < 60_000 ? Math.round(ms / 1000) * 1000 : Math.round(ms / 60_000) * 60_000);
  const who = incident.ack
    ? `, acknowledged by ${people[incident.ack.by]?.name ?? incident.ack.by}`
    : incident.pages.length > 0
      ? `, last paged ${incident.pages.at(-1)?.levelId}`
      : '';
  return `${incident.id} ${incident.state}: ${incident.service} ${incident.environment}: ${literal(incident.title)} (opened ${age} ago${who}${incident.deploymentId ? `, deployment ${incident.deploymentId}` : ''})`;
}

export const incidentOpen = {
  name: 'incident open',
  usage: openUsage,
  summary: 'declare an incident: posts in the incident channel and pages the escalation path',
  parse: (words) => {
    // `--environment=<name>` (Discord's environment option) names it for sure: only before END_OF_OPTIONS.
    const taken = takeValueOption(
      words,
      { name: 'environment', what: 'name', example: 'production' },
      openUsage,
    );
    if (taken instanceof UserError) return taken;
    const named = taken.value;
    const parsed = parseArgs(OpenWords, taken.rest, openUsage);
    if (parsed instanceof UserError) return parsed;
    const target = parsed[0] ?? '';
    if (target.length > WORD_MAX)
      return tooLongError('deployment or service', target.length, WORD_MAX, openUsage);
    if (parsed.length < 2)
      return new UserError('BAD_COMMAND', `say what is affected and what happened. Usage: ${openUsage}`);
    // Discord keeps a target option left out in its place as "": named, not quoted back as a service "".
    if (target === '')
      return new UserError(
        'BAD_COMMAND',
        `missing <deployment> or <service>: say what is affected. Usage: ${openUsage}`,
      );
    return { words: parsed, ...(named !== undefined && { environment: named }) };
  },
  async run(ctx, args) {
    const { engine } = ctx.services;
    const [typed = '', second = '', ...rest] = args.words;
    const byDeployment = TYPED_DEPLOYMENT_ID.test(typed);
    const first = foldDeploymentId(typed);
    const deployment = byDeployment ? await engine.store.get(first) : undefined;
    const service = byDeployment ? deployment?.service : first;
    const loaded = service !== undefined ? engine.runbooks.current(service) : undefined;
    // A deployment id that names none (`shop-9`, `shop-l`): which ones are under way, and what to type.
    if (!loaded && (byDeployment || idShapedService(engine.runbooks, typed) !== undefined)) {
      const found = await findDeployment(ctx, typed, '/incident open <deployment> <what happened>', {
        anyChannel: true,
      });
      if (found instanceof UserError) throw found;
    }
    if (!loaded)
      throw new UserError(
        byDeployment ? 'UNKNOWN_DEPLOYMENT' : 'UNKNOWN_SERVICE',
        `${quoted(first)} is neither a deployment nor a service Preflight knows (${engine.runbooks.services().join(', ')})`,
      );
    const environments = Object.keys(loaded.runbook.environments);
    // An environment named for sure is never guessed at: a typo must not declare the incident elsewhere.
    const named =
      args.environment !== undefined ? findEnvironment(loaded.runbook, args.environment) : undefined;
    if (args.environment !== undefined && named === undefined)
      throw new UserError(
        'UNKNOWN_ENVIRONMENT',
        `${loaded.runbook.service} has no environment ${quoted(args.environment)} (its runbook has ${environments.join(', ')})`,
      );
    if (named !== undefined && deployment && deployment.environment !== named)
      throw new UserError(
        'UNKNOWN_ENVIRONMENT',
        `${first} deployed to ${deployment.environment}, not ${named}: name the service to declare one for ${named}`,
      );
    const environment = named ?? (!byDeployment ? findEnvironment(loaded.runbook, second) : undefined);
    const title = joinText(
      byDeployment || named !== undefined || environment === undefined ? [second, ...rest] : rest,
      'what happened',
      openUsage,
    );
    if (title instanceof UserError) throw title;
    if (title === '') throw new UserError('BAD_COMMAND', `say what happened. Usage: ${openUsage}`);
    const outcome = await openIncidentFor(engine, {
      title,
      trigger: 'manual',
      caller: callerOf(ctx),
      origin: ctx.platform,
      ...(byDeployment ? { deploymentId: first } : { service: loaded.runbook.service }),
      ...(!byDeployment && environment !== undefined && { environment }),
    });
    if (!outcome.ok) throw outcome.error;
    if (outcome.existing)
      return privately(
        `${outcome.incident.id} is already open for ${outcome.incident.service} ${outcome.incident.environment}: ${literal(outcome.incident.title)}. What you said was added to it as a cause; follow it in ${linkThread(loaded.runbook.channels.incident, outcome.incident.id, 'incident')}.`,
      );
    // Which environment it is for, always: a second word that is not one of the runbook's environments is
    // part of what happened, and the incident is then for the default one.
    const opened = outcome.incident;
    const paging = `paging ${loaded.runbook.escalation.levels[0]?.id ?? 'on-call'}`;
    return {
      ...publicly(
        `🚨 ${opened.id} opened in ${linkThread(loaded.runbook.channels.incident, opened.id, 'incident')} for ${opened.service} ${opened.environment}; ${paging}.`,
      ),
      refused: incidentPostRefused(
        `🚨 ${opened.id} opened for ${opened.service} ${opened.environment}; ${paging}.`,
        opened,
        loaded.runbook,
      ),
    };
  },
} satisfies Command<OpenArgs>;

export const incidentStatus = {
  name: 'incident status',
  usage: '/incident status [<id>]',
  summary: 'open incidents, or one incident (typed in its thread: that one)',
  parse: (words) => parseArgs(z.tuple([Word.optional()]), words, '/incident status [<id>]'),
  async run(ctx, [id]) {
    const { engine } = ctx.services;
    const now = engine.clock.now();
    const shown = async (i: Incident) =>
      describe(i, now, (await engine.runbooks.pinned(i.runbookDigest)).people);
    const thread = id === undefined ? await threadIncident(ctx) : undefined;
    if (id !== undefined || thread !== undefined)
      return privately(await shown(await findIncident(ctx, id ?? thread, '/incident status <incident>')));
    const open = await engine.incidents.list({ openOnly: true, limit: 20 });
    return privately(
      open.length === 0 ? 'No incident is open.' : (await Promise.all(open.map(shown))).join('\n'),
    );
  },
} satisfies Command<[(string | undefined)?]>;

export const incidentResolve = {
  name: 'incident resolve',
  usage: '/incident resolve <id> [note]',
  summary: 'close an incident and stop paging',
  parse: (words) => {
    const parsed = parseArgs(Words, words, '/incident resolve <id> [note]');
    if (parsed instanceof UserError) return parsed;
    const [id, ...noteWords] = parsed;
    if (id === undefined)
      return new UserError('BAD_COMMAND', 'name the incident. Usage: /incident resolve <id> [note]');
    const note = joinText(noteWords, 'note', '/incident resolve <id> [note]');
    return note instanceof UserError ? note : { id, note };
  },
  async run(ctx, { id, note }) {
    const incident = await findIncident(ctx, id, '/incident resolve <incident> [note]');
    const runbook = await ctx.services.engine.runbooks.pinned(incident.runbookDigest);
    const outcome = await applyPersonIncidentAction(ctx.services.engine, callerOf(ctx), incident.id, {
      type: 'incident.resolve',
      ...(note !== '' && { note }),
    });
    if (!outcome.ok) throw outcome.error;
    const still = alertsLeftFiring(runbook, incident);
    return privately(
      `✅ ${incident.id} resolved; said so in its thread in ${linkThread(runbook.channels.incident, incident.id, 'incident')}.${still === '' ? '' : ` ${still}`}`,
    );
  },
} satisfies Command<{ id: string; note: string }>;

/** What `/incident emergency` runs: the usage line, Discord's choices and the parser all list these. */
export const EMERGENCY_CHOICES = ['stop', 'logs'] as const;
const emergencyUsage = `/incident emergency <${EMERGENCY_CHOICES.join('|')}> [<incident>]`;
const Emergency = Keyword(EMERGENCY_CHOICES);

export const incidentEmergency = {
  name: 'incident emergency',
  usage: emergencyUsage,
  summary: "run the runbook's emergency stop or logs for an incident; the output goes to its thread",
  parse: (words) =>
    parseArgs(z.union([z.tuple([Emergency]), z.tuple([Emergency, Word])]), words, emergencyUsage),
  async run(ctx, [which, id]) {
    const incident = await findIncident(ctx, id, `/incident emergency ${which} <incident>`);
    const outcome = await applyPersonIncidentAction(ctx.services.engine, callerOf(ctx), incident.id, {
      type: 'incident.emergency-request',
      which,
    });
    if (!outcome.ok) throw outcome.error;
    return privately(`🛑 ${outcome.reply ?? `emergency ${which} started`}.`);
  },
} satisfies Command<['stop' | 'logs'] | ['stop' | 'logs', string]>;
