/**
 * Where logs go while the terminal chat owns the screen. Decision: the JSON log lines go to
 * `.preflight/logs/preflight.log` (under the working directory, created when missing), so they never garble the
 * transcript; LOG_LEVEL still sets the level, and `LOG_LEVEL=silent` writes no file at all.
 */
import { resolve } from 'node:path';
import pino from 'pino';
import { CliError } from './cli-error.ts';

/** The log file of console mode, relative to the working directory. */
export const CONSOLE_LOG_FILE = '.preflight/logs/preflight.log';

/** The log destination for console mode, or none when logging is silent. */
export function openConsoleLog(
  level: string,
  file = CONSOLE_LOG_FILE,
): { readonly destination: pino.DestinationStream; readonly file: string } | undefined {
  if (level === 'silent') return undefined;
  const path = resolve(file);
  try {
    // Synchronous appends: a line written just before exit is never lost.
    return {
      destination: pino.destination({ dest: path, mkdir: true, append: true, sync: true }),
      file: path,
    };
  } catch (error) {
    const reason =
      (error as NodeJS.ErrnoException).code === 'EACCES' ? 'permission denied' : (error as Error).message;
    throw new CliError(
      `cannot write the log file ${file} (${reason}): run Preflight from a folder you can write to, or set LOG_LEVEL=silent`,
      2,
    );
  }
}
