/**
 * The command pipeline: lookup → parse → run (identify and authorize inside) → reply. A user's mistake comes back
 * with what to do; anything else is a bug: the user sees a short reference, the log has the stack.
 */
import { randomBytes } from 'node:crypto';
import { isUserError, UserError } from '../core/index.ts';
import { type CommandContext, privately, type Reply } from './command.ts';
import { deployHelp, helpText } from './deploy-help.ts';
import { lookupCommand, registerCommands } from './registry.ts';
import { unknownCommand } from './unknown-command.ts';

registerCommands(deployHelp);

export interface CommandLog {
  error(obj: object, msg?: string): void;
}

/** Splits `/deploy start sparkle v1.3.0` into words (the leading slash is optional). */
export function commandWords(text: string): string[] {
  return text.trim().replace(/^\//, '').split(/\s+/).filter(Boolean);
}

/** Runs one command typed in chat and returns the reply to show. */
export async function runCommand(ctx: CommandContext, text: string, log: CommandLog): Promise<Reply> {
  const words = commandWords(text);
  const found = lookupCommand(words);
  try {
    if (!found) {
      if (words.length <= 1 && (words[0] === 'deploy' || words[0] === 'help')) return privately(helpText());
      throw unknownCommand(words);
    }
    const args = found.command.parse(found.rest);
    if (args instanceof UserError) throw args;
    return await found.command.run(ctx, args);
  } catch (error) {
    if (isUserError(error)) return privately(`⚠️ ${error.message}`);
    const reference = randomBytes(4).toString('hex');
    log.error(
      { err: error, reference, command: words.slice(0, 2).join(' '), user: ctx.userId },
      'command failed',
    );
    return privately(
      `💥 Something went wrong on Preflight's side (reference ${reference}). The operators can find it in the logs; check /deploy status before trying again.`,
    );
  }
}
