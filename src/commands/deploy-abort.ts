/** `/deploy abort [<id>] [--emergency] [reason…]` */
import * as z from 'zod';
import { applyPersonAction, UserError } from '../core/index.ts';
import { type Command, callerOf, publicly } from './command.ts';
import { findDeployment, foldDeploymentId, INCIDENT_ID, TYPED_DEPLOYMENT_ID } from './find-deployment.ts';
import { joinText, parseArgs, splitWords } from './parse-words.ts';

const usage = '/deploy abort [<id>] [--emergency] [reason]';
// Any word may be the reason's, so its length is the reason's: joinText holds it, in characters, whatever the words.
const Args = z.array(z.string());

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
    return { id, reason, emergency: splitWords(words).flags.has('emergency') };
  },
  async run(ctx, args) {
    const found = await findDeployment(ctx, args.id, '/deploy abort <deployment> [reason]');
    if (found instanceof UserError) throw found;
    const outcome = await applyPersonAction(ctx.services.engine, callerOf(ctx), found.deployment.id, {
      type: 'abort',
      emergency: args.emergency,
      ...(args.reason !== '' && { reason: args.reason }),
    });
    if (!outcome.ok) throw outcome.error;
    return publicly(`${found.deployment.id}: ${outcome.reply ?? 'aborted'}.`);
  },
} satisfies Command<{ id: string | undefined; reason: string; emergency: boolean }>;
