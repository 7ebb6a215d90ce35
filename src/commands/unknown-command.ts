/** What to say to words that name no command: the subcommands of a family, or the closest command's name. */
import { UserError } from '../core/index.ts';
import { closestWord as closest } from './closest-word.ts';
import type { Command } from './command.ts';
import { quoteWord } from './parse-words.ts';
import { allCommands } from './registry.ts';

const HELP = '/deploy help lists every command';

/** A word as a person meant it: look-alike forms folded (fullwidth letters, a fullwidth slash), lower case. */
const fold = (word: string | undefined) => word?.normalize('NFKC').toLowerCase().replace(/^\//, '');

function suggest(command: { name: string; usage: string } | undefined, family: readonly Command[]): string {
  if (command) return `did you mean ${command.usage}?`;
  const first = family[0]?.name.split(' ')[0];
  return `/${first} has: ${family.map((c) => c.name.split(' ')[1]).join(', ')}`;
}

/** The UserError for words that match no command (`/incident`, `/deploy strat`, `/frobnicate`). */
export function unknownCommand(words: readonly string[]): UserError {
  const commands = allCommands();
  const familyOf = (first: string) =>
    commands.filter((c) => c.name.includes(' ') && c.name.split(' ')[0] === first);
  const typed = fold(words[0]) ?? '';
  const second = fold(words[1]);
  const exactFamily = familyOf(typed);
  if (words.length === 1 && exactFamily.length > 0) {
    return new UserError(
      'BAD_COMMAND',
      `/${typed} needs one of: ${exactFamily.map((c) => c.name.split(' ')[1]).join(', ')}. Usage: ${exactFamily.map((c) => c.usage).join(' · ')}`,
    );
  }
  const first =
    exactFamily.length > 0
      ? typed
      : closest(typed, [...new Set(commands.map((c) => c.name.split(' ')[0] ?? ''))]);
  const family = first === undefined ? [] : familyOf(first);
  const slash = fold(words[0]) === words[0]?.normalize('NFKC').toLowerCase() ? '/' : '';
  const shown = quoteWord(`${slash}${words.slice(0, family.length > 0 ? 2 : 1).join(' ')}`);
  if (first === undefined) return new UserError('BAD_COMMAND', `unknown command ${shown}; ${HELP}`);
  if (family.length === 0) {
    const command = commands.find((c) => c.name === first);
    return new UserError('BAD_COMMAND', `unknown command ${shown}; ${suggest(command, family)} (${HELP})`);
  }
  const sub =
    second === undefined
      ? undefined
      : closest(
          second,
          family.map((c) => c.name.split(' ')[1] ?? ''),
        );
  const command = sub === undefined ? undefined : family.find((c) => c.name === `${first} ${sub}`);
  // Another command typed under this family (`/deploy rollback`, `/deploy ack`): that one, before any close sub.
  const other = second !== undefined && second !== first ? second : undefined;
  const own = other === undefined ? undefined : commands.find((c) => c.name === other);
  const otherFamily = other === undefined ? [] : familyOf(other);
  if (own || otherFamily.length > 0)
    return new UserError('BAD_COMMAND', `unknown command ${shown}; ${suggest(own, otherFamily)} (${HELP})`);
  return new UserError('BAD_COMMAND', `unknown command ${shown}; ${suggest(command, family)} (${HELP})`);
}
