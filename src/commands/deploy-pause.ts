/** `/deploy pause [<id>]` and `/deploy resume [<id>]` */
import * as z from 'zod';
import { applyPersonAction, UserError } from '../core/index.ts';
import { type Command, type CommandContext, callerOf, publicly } from './command.ts';
import { findDeployment } from './find-deployment.ts';
import { parseArgs, Word } from './parse-words.ts';

const Args = z.tuple([Word.optional()]);

async function toggle(ctx: CommandContext, id: string | undefined, type: 'pause' | 'resume') {
  const found = await findDeployment(ctx, id, `/deploy ${type} <deployment>`);
  if (found instanceof UserError) throw found;
  const outcome = await applyPersonAction(ctx.services.engine, callerOf(ctx), found.deployment.id, { type });
  if (!outcome.ok) throw outcome.error;
  return publicly(`${found.deployment.id}: ${outcome.reply ?? type}.`);
}

export const deployPause = {
  name: 'deploy pause',
  usage: '/deploy pause [<id>]',
  summary: 'let the running step finish, start no new one',
  parse: (words) => parseArgs(Args, words, '/deploy pause [<id>]'),
  run: (ctx, [id]) => toggle(ctx, id, 'pause'),
} satisfies Command<z.output<typeof Args>>;

export const deployResume = {
  name: 'deploy resume',
  usage: '/deploy resume [<id>]',
  summary: 'continue a paused deployment',
  parse: (words) => parseArgs(Args, words, '/deploy resume [<id>]'),
  run: (ctx, [id]) => toggle(ctx, id, 'resume'),
} satisfies Command<z.output<typeof Args>>;
