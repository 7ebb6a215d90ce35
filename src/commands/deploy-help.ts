/** `/deploy help` */
import { type Command, privately } from './command.ts';
import { foldKeyword } from './parse-words.ts';
import { allCommands } from './registry.ts';

/** How to type a command, and what it does. */
export const usageLine = (c: { readonly usage: string; readonly summary: string }): string =>
  `${c.usage}  ${c.summary}`;

/** Words that ask how to type the command before them (`/deploy abort help`), never its arguments. */
export const asksHelp = (words: readonly string[]): boolean =>
  words.length === 1 && ['help', '--help', '-h', '?'].includes(foldKeyword(words[0] ?? ''));

/** The list of commands and how reactions work, for people new to Preflight. */
export function helpText(): string {
  const lines = allCommands().map(usageLine);
  return [
    'Preflight runs your deployment runbook from chat.',
    ...lines,
    'On a gate message: ✅ approves, ❌ rejects, removing your ✅ withdraws it until its steps start. On a checklist item: ✅ ticks it, removing it unticks it until the checklist passes.',
  ].join('\n');
}

export const deployHelp = {
  name: 'deploy help',
  usage: '/deploy help',
  summary: 'this list',
  // `/deploy help abort`, `/deploy help rollback`: that command's line; anything else, the list.
  parse: (words) => words.map(foldKeyword).join(' '),
  run: async (_ctx, named) => {
    const command = allCommands().find((c) => c.name === named || c.name === `deploy ${named}`);
    return privately(command && named !== '' ? usageLine(command) : helpText());
  },
} satisfies Command<string>;
