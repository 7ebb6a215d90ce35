/** `/deploy abort [<id>|<service>] [--emergency] [reason…]` */
import * as z from 'zod';
import { applyPersonAction, UserError } from '../core/index.ts';
import { type Command, type CommandContext, callerOf, publicly } from './command.ts';
import {
  findDeployment,
  foldDeploymentId,
  INCIDENT_ID,
  INCIDENT_SHAPED,
  idShapedService,
  TYPED_DEPLOYMENT_ID,
} from './find-deployment.ts';
import { END_OF_OPTIONS, joinText, parseArgs, splitWords } from './parse-words.ts';

const usage = '/deploy abort [<id>] [--emergency] [reason]';
// Any word may be the reason's, so its length is the reason's: joinText holds it, in characters, whatever the words.
const Args = z.array(z.string());

interface AbortArgs {
  readonly id: string | undefined;
  /** The first word when it is no id: it may name a service, whose deployment is meant. */
  readonly first?: string;
  readonly reason: string;
  /** The reason when the first word names a service. */
  readonly afterFirst?: string;
  /**
   * The first word stands where the id goes: every word follows END_OF_OPTIONS, as Discord's options are written
   * (its id option, then its reason), so it names a deployment or nothing, never the start of the reason.
   */
  readonly firstIsId?: boolean;
  readonly emergency: boolean;
}

/**
 * The deployment meant when a service is named first (`/deploy abort shop …`): that service's one deployment under
 * way, never another's; undefined when the first word names no service.
 */
async function serviceDeployment(ctx: CommandContext, word: string): Promise<string | undefined> {
  const { runbooks, store } = ctx.services.engine;
  const service = runbooks.current(word.toLowerCase())?.runbook.service;
  if (service === undefined) return undefined;
  const active = await store.list({ service, activeOnly: true, limit: 20 });
  const [only] = active;
  if (active.length === 1 && only) return only.id;
  if (active.length === 0) {
    const others = (await store.list({ activeOnly: true, limit: 5 })).map((d) => d.id);
    throw new UserError(
      'UNKNOWN_DEPLOYMENT',
      `${service} has no deployment under way to abort; nothing was aborted. ${
        others.length > 0
          ? `Under way: ${others.join(', ')}; to abort one, name it: /deploy abort <deployment> [reason]`
          : `See /deploy history ${service}`
      }`,
    );
  }
  throw new UserError(
    'UNKNOWN_DEPLOYMENT',
    `${service} has ${active.length} deployments under way (${active.map((d) => `${d.id} to ${d.environment}`).join(', ')}); name the one to abort: /deploy abort <deployment> [reason]`,
  );
}

export const deployAbort = {
  name: 'deploy abort',
  usage,
  summary: 'stop a deployment now; --emergency also runs the runbook emergency stop',
  parse: (words) => {
    const positional = parseArgs(Args, words, usage, ['emergency']);
    if (positional instanceof UserError) return positional;
    const [first, ...rest] = positional;
    const id =
      first !== undefined && (TYPED_DEPLOYMENT_ID.test(first) || INCIDENT_ID.test(first))
        ? foldDeploymentId(first)
        : undefined;
    const reason = joinText(id === undefined ? positional : rest, 'reason', usage);
    if (reason instanceof UserError) return reason;
    // A first word that may name a service (Discord's empty id option names none; no service or id opens with a
    // dash, so `/deploy abort -- --emergency …` is a reason).
    const maybeService = id === undefined && first !== undefined && first !== '' && !first.startsWith('-');
    const end = words.indexOf(END_OF_OPTIONS);
    const firstIsId = end >= 0 && words.slice(0, end).every((w) => w.startsWith('--'));
    return {
      id,
      reason,
      emergency: splitWords(words).flags.has('emergency'),
      ...(maybeService && { first, afterFirst: rest.join(' ').trim(), firstIsId }),
    };
  },
  async run(ctx, args) {
    // A first word shaped as an id (`shop-l`, `INC-l`) is a mistyped one: refused, never the reason for another's abort.
    const named =
      args.id === undefined && args.first !== undefined
        ? ((await serviceDeployment(ctx, args.first)) ??
          (args.firstIsId === true ||
          idShapedService(ctx.services.engine.runbooks, args.first) !== undefined ||
          INCIDENT_SHAPED.test(args.first)
            ? args.first
            : undefined))
        : undefined;
    // A service named first is the target, not the reason's first word.
    const reason = named !== undefined ? (args.afterFirst ?? '') : args.reason;
    const found = await findDeployment(ctx, args.id ?? named, '/deploy abort <deployment> [reason]');
    if (found instanceof UserError) throw found;
    const outcome = await applyPersonAction(ctx.services.engine, callerOf(ctx), found.deployment.id, {
      type: 'abort',
      emergency: args.emergency,
      ...(reason !== '' && { reason }),
    });
    if (!outcome.ok) throw outcome.error;
    return publicly(`${found.deployment.id}: ${outcome.reply ?? 'aborted'}.`);
  },
} satisfies Command<AbortArgs>;
