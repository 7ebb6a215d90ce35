/** The runbook pipeline: bytes → YAML → schema → semantic rules → `{ runbook, errors, warnings }`. */
import type { Diagnostic, PathProblem, Position } from './diagnostic.ts';
import { expandUrlRefs } from './expand-url-refs.ts';
import { formatIssues } from './format-issues.ts';
import { checkCommands } from './rules-commands.ts';
import { checkEnvNames } from './rules-env-names.ts';
import { checkMonitoringUrls, type MonitoringUrls } from './rules-monitoring-urls.ts';
import { checkPeople } from './rules-people.ts';
import { checkCommandSecrets, checkPlainSecrets } from './rules-plain-secrets.ts';
import { checkReferences } from './rules-references.ts';
import { checkSchedule } from './rules-schedule.ts';
import { decodeRunbookBytes } from './runbook-bytes.ts';
import { type Runbook, RunbookSchema } from './schema.ts';
import { knownKeysAt } from './schema-walk.ts';
import { suggest } from './suggest.ts';
import { readYaml } from './yaml-document.ts';

export interface RunbookResult {
  /** Present when there are no errors. */
  readonly runbook?: Runbook;
  readonly errors: readonly Diagnostic[];
  readonly warnings: readonly Diagnostic[];
}

function toDiagnostic(file: string, problem: PathProblem, pos: Position): Diagnostic {
  return {
    file,
    line: pos.line,
    col: pos.col,
    severity: problem.severity ?? 'error',
    message: problem.message,
  };
}

/**
 * A mapping with at most one runbook key (or near miss) among other keys is some other file, not a broken
 * runbook: one line saying so beats a list of every key it lacks.
 */
function checkLooksLikeRunbook(value: unknown): PathProblem[] {
  if (value === null || typeof value !== 'object' || Array.isArray(value)) return [];
  const keys = Object.keys(value);
  const known = knownKeysAt(RunbookSchema, []);
  const runbookish = keys.filter((k) => known.includes(k) || suggest(k, known) !== undefined);
  if (runbookish.length >= 2 || runbookish.length === keys.length) return [];
  const shown = keys.slice(0, 5).join(', ') + (keys.length > 5 ? ', …' : '');
  return [
    {
      path: [],
      message: `this does not look like a runbook (its keys: ${shown}); a runbook is a YAML mapping that starts with version: 1 and service: …`,
    },
  ];
}

function byPosition(a: Diagnostic, b: Diagnostic): number {
  return a.line - b.line || a.col - b.col;
}

/** What the environment adds to validation (the CLI passes it; elsewhere it is not known). */
export interface RunbookCheckOptions {
  /** Which monitoring base URLs the environment sets; unset: not checked. */
  readonly monitoringUrls?: MonitoringUrls;
}

/** Applies every semantic rule to a runbook that passed the schema. */
export function checkRunbookRules(runbook: Runbook, options: RunbookCheckOptions = {}): PathProblem[] {
  return [
    ...checkReferences(runbook),
    ...checkCommands(runbook),
    ...checkPeople(runbook),
    ...checkSchedule(runbook),
    ...checkPlainSecrets(runbook),
    ...checkCommandSecrets(runbook),
    ...checkEnvNames(runbook),
    ...(options.monitoringUrls ? checkMonitoringUrls(runbook, options.monitoringUrls) : []),
  ];
}

/** Parses and validates a runbook. Every error and warning carries the file, line and column it is about. */
export function parseRunbook(
  source: string | Uint8Array,
  file: string,
  options: RunbookCheckOptions = {},
): RunbookResult {
  let text: string;
  if (typeof source === 'string') text = source;
  else {
    const decoded = decodeRunbookBytes(source);
    if ('error' in decoded) {
      const problem = { path: [], message: decoded.error };
      return { errors: [toDiagnostic(file, problem, decoded.pos ?? { line: 1, col: 1 })], warnings: [] };
    }
    text = decoded.text;
  }
  const read = readYaml(text);
  if (!read.ok) return { errors: read.problems.map((p) => toDiagnostic(file, p, p.pos)), warnings: [] };
  const { value, positionOf } = read.yaml;
  const place = (problems: readonly PathProblem[]): Diagnostic[] =>
    problems.map((p) => toDiagnostic(file, p, positionOf(p.path, p.atKey))).sort(byPosition);
  const foreign = checkLooksLikeRunbook(value);
  if (foreign.length > 0) return { errors: place(foreign), warnings: [] };
  const unresolved = expandUrlRefs(value);
  if (unresolved.length > 0) return { errors: place(unresolved), warnings: [] };
  const parsed = RunbookSchema.safeParse(value);
  if (!parsed.success)
    return { errors: place(formatIssues(RunbookSchema, value, parsed.error.issues)), warnings: [] };
  const diagnostics = place(checkRunbookRules(parsed.data, options));
  const errors = diagnostics.filter((d) => d.severity === 'error');
  const warnings = diagnostics.filter((d) => d.severity === 'warning');
  return errors.length > 0 ? { errors, warnings } : { runbook: parsed.data, errors, warnings };
}
