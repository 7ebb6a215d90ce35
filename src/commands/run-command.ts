/**
 * The command pipeline: lookup → parse → run (identify and authorize inside) → reply. A user's mistake comes back
 * with what to do; anything else is a bug: the user sees a short reference, the log has the stack.
 */
import { randomBytes } from 'node:crypto';
import {
  type CommandOutcome,
  isAccessRefusal,
  isUserError,
  type Telemetry,
  UserError,
} from '../core/index.ts';
import { type CommandContext, privately, type Reply } from './command.ts';
import { asksHelp, deployHelp, helpText, usageLine } from './deploy-help.ts';
import { knownWords } from './known-words.ts';
import { foldCommandWords, foldKeyword, splitCommandLine } from './parse-words.ts';
import { lookupCommand, registerCommands } from './registry.ts';
import { unknownCommand } from './unknown-command.ts';

registerCommands(deployHelp);

export interface CommandLog {
  error(obj: object, msg?: string): void;
}

/**
 * Splits `/deploy start sparkle v1.3.0` into words (the leading slash is optional; see splitCommandLine), with
 * options typed with a dash for `--` read as options and names typed with look-alike characters as names
 * (foldCommandWords). `known`: the words kept whole when typed with an invisible character inside.
 */
export function commandWords(text: string, known: (word: string) => boolean = knownWords()): string[] {
  return foldCommandWords(splitCommandLine(text.trim().replace(/^\//, ''), known));
}

/** Runs one command typed in chat and returns the reply to show; `telemetry` counts it by name and outcome. */
export async function runCommand(
  ctx: CommandContext,
  text: string,
  log: CommandLog,
  telemetry?: Pick<Telemetry, 'commandHandled'>,
): Promise<Reply> {
  const words = commandWords(text, knownWords(ctx.services.engine.runbooks));
  const found = lookupCommand(words);
  // Registered names only, so the metric's labels stay bounded whatever people type.
  const name = found?.command.name ?? (isHelp(words) ? deployHelp.name : 'unknown');
  const { reply, outcome } = await runStages(ctx, words, found, log);
  telemetry?.commandHandled(name, outcome);
  return reply;
}

const isHelp = (words: readonly string[]) =>
  words.length <= 1 && ['deploy', 'help'].includes(foldKeyword(words[0] ?? ''));

async function runStages(
  ctx: CommandContext,
  words: readonly string[],
  found: ReturnType<typeof lookupCommand>,
  log: CommandLog,
): Promise<{ reply: Reply; outcome: CommandOutcome }> {
  try {
    if (!found) {
      if (isHelp(words)) return { reply: privately(helpText()), outcome: 'ok' };
      throw unknownCommand(words);
    }
    // Asked how to type it: never read as its arguments (`/deploy abort help` aborts nothing).
    if (asksHelp(found.rest)) return { reply: privately(usageLine(found.command)), outcome: 'ok' };
    const args = found.command.parse(found.rest);
    if (args instanceof UserError) throw args;
    return { reply: await found.command.run(ctx, args), outcome: 'ok' };
  } catch (error) {
    if (isUserError(error))
      return {
        reply: privately(`⚠️ ${error.message}`),
        outcome: isAccessRefusal(error.code) ? 'refused' : 'invalid',
      };
    const reference = randomBytes(4).toString('hex');
    log.error(
      { err: error, reference, command: words.slice(0, 2).join(' '), user: ctx.userId },
      'command failed',
    );
    return {
      reply: privately(
        `💥 Something went wrong on Preflight's side (reference ${reference}). The operators can find it in the logs; check /deploy status before trying again.`,
      ),
      outcome: 'error',
    };
  }
}
