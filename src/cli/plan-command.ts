/** `preflight plan [FILE] [--start ISO-8601] [--json]`: the dry-run timeline. */
import { buildPlan, formatDiagnostic, renderPlan } from '../core/index.ts';
import { loadRunbookFile, RunbookFileError } from '../infra/runbook-files.ts';
import { CliError } from './cli-error.ts';
import type { Output } from './validate-command.ts';

export interface PlanArgs {
  readonly file: string;
  readonly start?: string;
  readonly json?: boolean;
  readonly environment?: string;
  readonly version?: string;
}

const ISO_RE = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(?::\d{2}(?:\.\d+)?)?(?:Z|[+-]\d{2}:\d{2})$/;

/** Parses an ISO 8601 instant with an explicit offset. */
export function parseStart(text: string): number {
  const ms = ISO_RE.test(text) ? Date.parse(text) : Number.NaN;
  if (Number.isNaN(ms)) {
    throw new CliError(
      `--start: "${text}" is not an ISO 8601 time with an offset, e.g. 2026-01-07T14:00:00+08:00`,
      2,
    );
  }
  return ms;
}

/** Prints the plan; returns the exit code. */
export async function runPlan(args: PlanArgs, io: Output, now: number): Promise<number> {
  const start = args.start === undefined ? now : parseStart(args.start);
  let result: Awaited<ReturnType<typeof loadRunbookFile>>;
  try {
    result = await loadRunbookFile(args.file);
  } catch (error) {
    if (error instanceof RunbookFileError) throw new CliError(error.message, 2);
    throw error;
  }
  for (const d of [...result.errors, ...result.warnings]) io.err(formatDiagnostic(d));
  const runbook = result.runbook;
  if (!runbook) return 1;
  if (args.environment !== undefined && !Object.hasOwn(runbook.environments, args.environment)) {
    throw new CliError(
      `--env: unknown environment "${args.environment}"; this runbook has ${Object.keys(runbook.environments).join(', ')}`,
      2,
    );
  }
  const plan = buildPlan(runbook, {
    start,
    ...(args.environment !== undefined && { environment: args.environment }),
    ...(args.version !== undefined && { version: args.version }),
  });
  if (args.json) io.out(JSON.stringify(plan, null, 2));
  else for (const line of renderPlan(plan)) io.out(line);
  return 0;
}
