/** Loads the runbooks before anything starts, turning a bad file into the lines `preflight validate` writes. */
import type { Runbook } from '../core/index.ts';
import { InvalidRunbooksError, loadRunbooks } from '../infra/runbook-catalog.ts';
import { RunbookFileError } from '../infra/runbook-files.ts';
import { CliError } from './cli-error.ts';
import { writeErrorLine } from './error-output.ts';

/**
 * The runbooks at `path` (file or folder): exit 2 when unreadable, exit 1 when invalid. Each problem is written as
 * validate writes it, `FILE:LINE:COL: message` with the file named as given (a file called `passwd` stays readable).
 */
export async function loadRunbooksOrExit(path: string): Promise<Runbook[]> {
  try {
    return (await loadRunbooks(path)).map((loaded) => loaded.runbook);
  } catch (error) {
    if (error instanceof RunbookFileError) throw new CliError(error.message, 2, error.file);
    if (!(error instanceof InvalidRunbooksError))
      throw new CliError(`${(error as Error).message}\n(run "preflight validate" for details)`, 1);
    writeErrorLine(`preflight: ${error.heading}`);
    for (const problem of error.problems) writeErrorLine(problem.line, problem.file);
    writeErrorLine('(run "preflight validate" for details)');
    throw new CliError('', 1);
  }
}
