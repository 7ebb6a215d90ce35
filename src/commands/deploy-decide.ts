/** `/deploy decide <retry|skip|rollback|run> [<id>]` (`run`: a step that asks first, or one outside the window) */
import * as z from 'zod';
import { applyPersonAction, UserError } from '../core/index.ts';
import { type Command, callerOf, publicly } from './command.ts';
import { findDeployment } from './find-deployment.ts';
import { foldKeyword, Keyword, parseArgs, Word } from './parse-words.ts';

/** Every answer a decision can ask for: the usage line, Discord's choices and the parser all list these. */
export const DECIDE_CHOICES = ['retry', 'skip', 'rollback', 'run'] as const;
const usage = `/deploy decide <${DECIDE_CHOICES.join('|')}> [<id>]`;
const Choice = Keyword(DECIDE_CHOICES);
const Args = z.tuple([Choice, Word.optional()]);

const isChoice = (word: string | undefined): boolean =>
  word !== undefined && (DECIDE_CHOICES as readonly string[]).includes(foldKeyword(word));

/** `/deploy decide toy-1 retry`: the id typed before the choice, answered with the order the grammar takes. */
function swapped(words: readonly string[]): UserError | undefined {
  const [first, second, ...rest] = words;
  if (rest.length > 0 || first === undefined || first.startsWith('-') || isChoice(first) || !isChoice(second))
    return undefined;
  return new UserError(
    'BAD_COMMAND',
    `the choice comes first, then the deployment: /deploy decide ${foldKeyword(second ?? '')} ${first}`,
  );
}

export const deployDecide = {
  name: 'deploy decide',
  usage,
  summary: 'answer a deployment waiting for a decision',
  parse: (words) => swapped(words) ?? parseArgs(Args, words, usage),
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
