/** `preflight validate [FILE…]`: exit 0 with a summary when valid, 1 with FILE:LINE:COL lines when not. */
import { resolve } from 'node:path';
import { countOf, formatSameService, formatShownDiagnostics, type Runbook } from '../core/index.ts';
import { findRunbookFiles, loadRunbookFile, RunbookFileError } from '../infra/runbook-files.ts';
import { CliError } from './cli-error.ts';

export interface Output {
  /** `file`: the path the line starts with, written as given. */
  out(line: string, file?: string): void;
  /** `file`: the path the line starts with (`FILE:LINE:COL: …`, or after `preflight: `), written as given. */
  err(line: string, file?: string): void;
}

function summarize(file: string, runbook: Runbook, warnings: number): string {
  const parts = [
    countOf(runbook.steps.length, 'step'),
    countOf(Object.keys(runbook.gates ?? {}).length, 'gate'),
    countOf(runbook.checklist?.length ?? 0, 'checklist item'),
    countOf(runbook.health?.length ?? 0, 'health check'),
    countOf(runbook.rollback?.steps.length ?? 0, 'rollback step'),
    countOf(runbook.escalation.levels.length, 'escalation level'),
  ];
  const warned = warnings > 0 ? ` (${countOf(warnings, 'warning')})` : '';
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
  // `preflight start` loads one runbook per service: two files for one service fail here as they would there.
  const services = new Map<string, string>();
  const seen = new Set<string>();
  for (const path of paths) {
    let files: string[];
    try {
      const found = await findRunbookFiles(path);
      files = found.files;
      for (const other of found.skipped)
        io.out(`${other}: skipped: not a runbook (no top-level version:, service: or steps:)`, other);
    } catch (error) {
      if (!(error instanceof RunbookFileError)) throw error;
      io.err(error.message, path);
      unreadable = true;
      continue;
    }
    for (const file of files) {
      if (seen.has(resolve(file))) continue;
      seen.add(resolve(file));
      try {
        const result = await loadRunbookFile(file, { monitoringUrls });
        for (const line of formatShownDiagnostics(file, result)) io.err(line, file);
        const runbook = result.runbook;
        const other = runbook && services.get(runbook.service);
        if (runbook && other !== undefined) {
          io.err(formatSameService(file, result.source ?? '', runbook.service, other), file);
          invalid = true;
        } else if (runbook) {
          services.set(runbook.service, file);
          io.out(summarize(file, runbook, result.warnings.length + (result.moreWarnings ?? 0)), file);
        } else invalid = true;
      } catch (error) {
        if (!(error instanceof RunbookFileError)) throw error;
        io.err(error.message, file);
        unreadable = true;
      }
    }
  }
  if (unreadable) throw new CliError('', 2);
  return invalid ? 1 : 0;
}
