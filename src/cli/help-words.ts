/**
 * `help` among the words of the command line: `preflight help audit verify` (or `audit help verify`) is
 * `preflight audit verify --help`, and `help help` is the help command's own usage, at whatever level it stands.
 */
import { Command } from 'commander';

/** What `help` in the words asks for. */
export type HelpAsked =
  /** No help asked (or a word only commander can read: an option, a command's argument). */
  | { readonly kind: 'none' }
  /** Help about a word that names no command where it stands: this line, exit 2. */
  | { readonly kind: 'unknown'; readonly line: string }
  /** The usage of the help command of this command. */
  | { readonly kind: 'help-command'; readonly command: Command }
  /** The help of the command these words name. */
  | { readonly kind: 'command'; readonly path: readonly string[] };

/** Reads what `help` in `words` (the arguments after `preflight`) asks for. */
export function readHelpWords(program: Command, words: readonly string[]): HelpAsked {
  let command = program;
  const path: string[] = [];
  let asking = false;
  for (const word of words) {
    // A command with subcommands reads `help` as the help command; a leaf takes it as its argument (`audit verify help`).
    if (word === 'help' && command.commands.length > 0) {
      if (asking) return { kind: 'help-command', command };
      asking = true;
      continue;
    }
    const sub = command.commands.find((c) => c.name() === word);
    if (sub) {
      command = sub;
      path.push(word);
      continue;
    }
    if (!asking || word.startsWith('-')) return { kind: 'none' };
    // More words after a command that has no subcommands (`help start foo`): its help all the same.
    if (command.commands.length === 0) break;
    const where = ['preflight', ...path].join(' ');
    const names = command.commands.map((c) => c.name()).join(', ');
    return {
      kind: 'unknown',
      line: `${where}: help: unknown command "${word.slice(0, 80)}"; the commands are ${names} (run "${where} --help" for usage)`,
    };
  }
  return asking ? { kind: 'command', path } : { kind: 'none' };
}

/** The help command of `command` (`preflight help`, `preflight audit help`), as its help prints it. */
export function helpCommandUsage(command: Command): string {
  const names = command.commands.map((c) => c.name()).join(', ');
  const help = new Command('help')
    .description('display help for command')
    .argument('[command]', `the command to show the help of: ${names}`)
    .helpOption(false);
  help.parent = command;
  return help.helpInformation();
}
