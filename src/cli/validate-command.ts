/** `preflight validate [FILE…]`: exit 0 with a summary when valid, 1 with FILE:LINE:COL lines when not. */
import { formatDiagnostic, type Runbook } from '../core/index.ts';
import { findRunbookFiles, loadRunbookFile, RunbookFileError } from '../infra/runbook-files.ts';
import { CliError } from './cli-error.ts';

export interface Output {
  out(line: string): void;
  err(line: string): void;
}

/** `1 step`, `2 steps`. */
const count = (n: number, noun: string): string => `${n} ${noun}${n === 1 ? '' : 's'}`;

function summarize(file: string, runbook: Runbook, warnings: number): string {
  const parts = [
    count(runbook.steps.length, 'step'),
    count(Object.keys(runbook.gates ?? {}).length, 'gate'),
    count(runbook.checklist?.length ?? 0, 'checklist item'),
    count(runbook.health?.length ?? 0, 'health check'),
    count(runbook.rollback?.steps.length ?? 0, 'rollback step'),
    count(runbook.escalation.levels.length, 'escalation level'),
  ];
  const warned = warnings > 0 ? ` (${count(warnings, 'warning')})` : '';
  return `${file}: ok: ${runbook.service} runbook, ${parts.join(', ')}${warned}`;
}

/** Validates each file (or folder of runbooks); returns the exit code. */
export async function runValidate(
  paths: readonly string[],
  io: Output,
  env: Readonly<Record<string, string | undefined>> = {},
): Promise<number> {
  const monitoringUrls = { prometheus: !!env.PROMETHEUS_URL, alertmanager: !!env.ALERTMANAGER_URL };
  let invalid = false;
  let unreadable = false;
  for (const path of paths) {
    let files: string[];
    try {
      const found = await findRunbookFiles(path);
      files = found.files;
      for (const other of found.skipped)
        io.out(`${other}: skipped: not a runbook (no top-level version: or service:)`);
    } catch (error) {
      if (!(error instanceof RunbookFileError)) throw error;
      io.err(error.message);
      unreadable = true;
      continue;
    }
    for (const file of files) {
      try {
        const result = await loadRunbookFile(file, { monitoringUrls });
        for (const d of [...result.errors, ...result.warnings]) io.err(formatDiagnostic(d));
        if (result.runbook) io.out(summarize(file, result.runbook, result.warnings.length));
        else invalid = true;
      } catch (error) {
        if (!(error instanceof RunbookFileError)) throw error;
        io.err(error.message);
        unreadable = true;
      }
    }
  }
  if (unreadable) throw new CliError('', 2);
  return invalid ? 1 : 0;
}
