/** `/deploy decide <retry|skip|rollback> [<id>]` (and `run` for a rollback step that asks first) */
import * as z from 'zod';
import { applyPersonAction, UserError } from '../core/index.ts';
import { type Command, callerOf, publicly } from './command.ts';
import { findDeployment } from './find-deployment.ts';
import { parseArgs, Word } from './parse-words.ts';

const usage = '/deploy decide <retry|skip|rollback> [<id>]';
const Choice = z.enum(['retry', 'skip', 'rollback', 'run'], { error: 'choose retry, skip or rollback' });
const Args = z.tuple([Choice, Word.optional()]);

export const deployDecide = {
  name: 'deploy decide',
  usage,
  summary: 'answer a deployment waiting for a decision',
  parse: (words) => parseArgs(Args, words, usage),
  async run(ctx, [choice, id]) {
    const found = await findDeployment(ctx, id, `/deploy decide ${choice} <deployment>`);
    if (found instanceof UserError) throw found;
    const outcome = await applyPersonAction(ctx.services.engine, callerOf(ctx), found.deployment.id, {
      type: 'decide',
      choice,
    });
    if (!outcome.ok) throw outcome.error;
    return publicly(`${found.deployment.id}: decided ${choice}.`);
  },
} satisfies Command<z.output<typeof Args>>;
