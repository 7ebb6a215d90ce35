/** `/deploy decide <retry|skip|rollback|run> [<id>]` (`run`: a step that asks first, or one outside the window) */
import * as z from 'zod';
import { applyPersonAction, UserError } from '../core/index.ts';
import { type Command, callerOf, publicly } from './command.ts';
import { findDeployment } from './find-deployment.ts';
import { Keyword, parseArgs, Word } from './parse-words.ts';

/** Every answer a decision can ask for: the usage line, Discord's choices and the parser all list these. */
export const DECIDE_CHOICES = ['retry', 'skip', 'rollback', 'run'] as const;
const usage = `/deploy decide <${DECIDE_CHOICES.join('|')}> [<id>]`;
const Choice = Keyword(DECIDE_CHOICES);
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
