/** `/deploy help` */
import { type Command, privately } from './command.ts';
import { foldKeyword } from './parse-words.ts';
import { allCommands } from './registry.ts';
import { unknownCommand } from './unknown-command.ts';

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
  // `/deploy help abort`, `/deploy help /rollback`: that command's line; `/deploy help incident`: its family's lines;
  // nothing: the list; a word that names no command: said, with the closest command, never the list as if it had.
  parse: (words) => words.map(foldKeyword).join(' ').replace(/^\//, ''),
  run: async (_ctx, named) => {
    if (named === '') return privately(helpText());
    const commands = allCommands();
    const words = named.split(' ');
    // The longest match of the first words (`/deploy help incident open now` is about /incident open).
    for (const n of [2, 1]) {
      const asked = words.slice(0, n).join(' ');
      const command = commands.find((c) => c.name === asked || c.name === `deploy ${asked}`);
      if (command) return privately(usageLine(command));
      const family = commands.filter((c) => c.name.startsWith(`${asked} `));
      if (n === 1 && family.length > 0) return privately(family.map(usageLine).join('\n'));
    }
    const topLevel = commands.some((c) => c.name.split(' ')[0] === words[0]);
    throw unknownCommand(topLevel ? words : ['deploy', ...words]);
  },
} satisfies Command<string>;
