/** Loads the runbooks before anything starts, turning a bad file into a one-line CLI error. */
import type { Runbook } from '../core/index.ts';
import { loadRunbooks } from '../infra/runbook-catalog.ts';
import { RunbookFileError } from '../infra/runbook-files.ts';
import { CliError } from './cli-error.ts';

/** The runbooks at `path` (file or folder): exit 2 when unreadable, exit 1 when invalid. */
export async function loadRunbooksOrExit(path: string): Promise<Runbook[]> {
  try {
    return (await loadRunbooks(path)).map((loaded) => loaded.runbook);
  } catch (error) {
    if (error instanceof RunbookFileError) throw new CliError(error.message, 2);
    throw new CliError(`${(error as Error).message}\n(run "preflight validate" for details)`, 1);
  }
}
