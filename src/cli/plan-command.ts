/** `preflight plan [FILE] [--start ISO-8601] [--json]`: the dry-run timeline. */
import { stat, writeFile } from 'node:fs/promises';
import { basename } from 'node:path';
import {
  buildPlan,
  checkVersion,
  escapeFileName,
  findEnvironment,
  formatShownDiagnostics,
  type Plan,
  redactStrings,
  renderPlan,
  renderTimelineSvg,
  timelineFromPlan,
} from '../core/index.ts';
import { findRunbookFiles, loadRunbookFile, RunbookFileError } from '../infra/runbook-files.ts';
import { renderPng } from '../infra/timeline-png.ts';
import { CliError } from './cli-error.ts';
import { cliRedactor } from './error-output.ts';
import type { Output } from './validate-command.ts';
import { describeWriteError } from './write-error.ts';

export interface PlanArgs {
  readonly file: string;
  readonly start?: string;
  readonly json?: boolean;
  readonly environment?: string;
  readonly version?: string;
  readonly format?: string;
  readonly out?: string;
}

const FORMATS = ['text', 'json', 'svg', 'png'] as const;
type Format = (typeof FORMATS)[number];

/** The format a file name's extension says (`plan.PNG` → png), if it names one. */
function formatOfFile(out: string | undefined): Format | undefined {
  const extension = /\.(png|svg|json)$/i.exec(out ?? '')?.[1]?.toLowerCase();
  return FORMATS.find((f) => f === extension);
}

/** The output format asked for, checked before any work is done. */
function chooseFormat(args: PlanArgs): Format {
  if (args.out?.trim() === '')
    throw new CliError('--out: the file name is empty; name the file to write, e.g. --out plan.png', 2);
  const byFile = formatOfFile(args.out);
  if (args.format === undefined) {
    if (args.json) return 'json';
    // `--out plan.png` alone means a picture, not text in a file named .png.
    return byFile ?? 'text';
  }
  const format = FORMATS.find((f) => f === args.format?.trim().toLowerCase());
  if (!format) throw new CliError(`--format: "${args.format}" is not one of ${FORMATS.join(', ')}`, 2);
  if (args.json && format !== 'json')
    throw new CliError(`--json and --format ${format} ask for two formats; use one`, 2);
  if (format === 'png' && args.out === undefined)
    throw new CliError('--format png writes a picture: add --out FILE (e.g. --out plan.png)', 2);
  // A PNG written into plan.svg opens as neither: the name and the format must agree.
  if (byFile !== undefined && byFile !== format)
    throw new CliError(
      `--format ${format} and --out ${args.out} disagree (that name says ${byFile}): name the file .${format === 'text' ? 'txt' : format}, or drop --format to write ${byFile}`,
      2,
    );
  return format;
}

/** The plan in the chosen format: lines of text, or one SVG/PNG document. */
function formatPlan(plan: Plan, format: Format): string | Uint8Array {
  switch (format) {
    case 'text':
      return `${renderPlan(plan).join('\n')}\n`;
    case 'json':
      return `${JSON.stringify(plan, null, 2)}\n`;
    case 'svg':
      return `${renderTimelineSvg(timelineFromPlan(plan))}\n`;
    case 'png':
      return renderPng(renderTimelineSvg(timelineFromPlan(plan)));
  }
}

const ISO_RE = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2})(?::(\d{2})(?:\.\d+)?)?(?:Z|[+-](\d{2}):(\d{2}))$/;

/** True when every field names a real moment: no 30 February, hour 24 or minute 60 (Date.parse rolls them over). */
function fieldsExist(match: RegExpExecArray): boolean {
  const [y, mo, d, h, mi, s = 0, oh = 0, om = 0] = match
    .slice(1)
    .map((f) => (f === undefined ? 0 : Number(f)));
  const day = new Date(Date.UTC(y ?? 0, (mo ?? 1) - 1, d ?? 1));
  return (
    day.getUTCMonth() === (mo ?? 1) - 1 &&
    day.getUTCDate() === d &&
    (h ?? 0) <= 23 &&
    (mi ?? 0) <= 59 &&
    s <= 59 &&
    oh <= 23 &&
    om <= 59
  );
}

/** Parses an ISO 8601 instant with an explicit offset. */
export function parseStart(text: string): number {
  const match = ISO_RE.exec(text);
  if (match && !fieldsExist(match))
    throw new CliError(`--start: "${text}" names a day or time that does not exist`, 2);
  const ms = match ? Date.parse(text) : Number.NaN;
  if (Number.isNaN(ms)) {
    throw new CliError(
      `--start: "${text}" is not an ISO 8601 time with an offset, e.g. 2026-01-07T14:00:00+08:00`,
      2,
    );
  }
  // Dates of years 0–99 turn into 1900–1999 in calendar arithmetic: a plan that far back would be nonsense anyway.
  if (ms < 0)
    throw new CliError(
      `--start: "${text}" is before 1970; give when the deployment would start, e.g. 2026-01-07T14:00:00+08:00`,
      2,
    );
  // A plan from late 9999 runs into year 10000, which dates cannot be written in (`10000-01-0 T00:00:0`).
  if (ms >= LAST_START_MS)
    throw new CliError(
      `--start: "${text}" is in the year 9999 or later; give when the deployment would start, e.g. 2026-01-07T14:00:00+08:00`,
      2,
    );
  return ms;
}

/** The first instant --start refuses: a plan from before it ends long before year 10000. */
const LAST_START_MS = Date.UTC(9999, 0, 1);

/** The runbook file a path names: the file, or a folder's only runbook (RUNBOOK may be a folder). */
async function oneRunbookFile(path: string): Promise<string> {
  if (
    !(await stat(path).then(
      (info) => info.isDirectory(),
      () => false,
    ))
  )
    return path;
  const { files } = await findRunbookFiles(path);
  if (files.length === 1 && files[0] !== undefined) return files[0];
  throw new CliError(
    `${path} holds ${files.length} runbooks (${files.map((f) => escapeFileName(basename(f))).join(', ')}); name one, e.g. preflight plan ${escapeFileName(files[0] ?? '')}`,
    2,
    path,
  );
}

/** Prints the plan; returns the exit code. */
export async function runPlan(args: PlanArgs, io: Output, now: number): Promise<number> {
  const format = chooseFormat(args);
  const start = args.start === undefined ? now : parseStart(args.start);
  let result: Awaited<ReturnType<typeof loadRunbookFile>>;
  let file: string;
  try {
    file = await oneRunbookFile(args.file);
    result = await loadRunbookFile(file);
  } catch (error) {
    if (error instanceof RunbookFileError) throw new CliError(error.message, 2, error.file);
    throw error;
  }
  for (const line of formatShownDiagnostics(file, result)) io.err(line, file);
  const runbook = result.runbook;
  if (!runbook) return 1;
  const environment = args.environment !== undefined ? findEnvironment(runbook, args.environment) : undefined;
  if (args.environment !== undefined && environment === undefined) {
    throw new CliError(
      `--env: unknown environment "${args.environment}"; this runbook has ${Object.keys(runbook.environments).join(', ')}`,
      2,
    );
  }
  const badVersion = args.version === undefined ? undefined : checkVersion(runbook, args.version);
  if (badVersion) throw new CliError(`--version: ${badVersion.message}`, 2);
  // A credential written into a command (validate warns about it) is shown redacted, in the file --out writes too.
  const plan = redactStrings(
    buildPlan(runbook, {
      start,
      ...(environment !== undefined && { environment }),
      ...(args.version !== undefined && { version: args.version }),
    }),
    cliRedactor(),
  );
  const output = formatPlan(plan, format);
  if (args.out === undefined) {
    io.out(typeof output === 'string' ? output.replace(/\n$/, '') : '');
    return 0;
  }
  try {
    await writeFile(args.out, output);
  } catch (error) {
    throw new CliError(`--out: cannot write ${args.out}: ${describeWriteError(error, args.out)}`, 2);
  }
  io.err(
    `Wrote the ${format === 'png' || format === 'svg' ? `${format.toUpperCase()} timeline` : `${format} plan`} to ${args.out}`,
  );
  return 0;
}
