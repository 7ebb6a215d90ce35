/** The runbook pipeline: bytes → YAML → schema → semantic rules → `{ runbook, errors, warnings }`. */
import type { PathProblem } from './diagnostic.ts';
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
import { keepFirstDiagnostics, type ShownDiagnostics } from './shown-diagnostics.ts';
import { suggest } from './suggest.ts';
import { RUNBOOK_STARTS, readYaml } from './yaml-document.ts';

/** The first SHOWN_DIAGNOSTICS errors and warnings in file order, with a count of the rest. */
export interface RunbookResult extends ShownDiagnostics {
  /** Present when there are no errors. */
  readonly runbook?: Runbook;
}

/**
 * A mapping with at most one runbook key (or near miss) among other keys is some other file, not a broken
 * runbook: one line saying so beats a list of every key it lacks. It names none of the file's keys: a file given
 * by mistake may be one of secrets, and its keys say what they are.
 */
function checkLooksLikeRunbook(value: unknown): PathProblem[] {
  if (value === null || typeof value !== 'object' || Array.isArray(value)) return [];
  const keys = Object.keys(value);
  const known = knownKeysAt(RunbookSchema, []);
  const runbookish = keys.filter((k) => known.includes(k) || suggest(k, known) !== undefined);
  if (runbookish.length >= 2 || runbookish.length === keys.length) return [];
  const which = runbookish.length === 0 ? 'none' : `only ${runbookish.length}`;
  return [
    {
      path: [],
      message: `this file is not a runbook: ${which} of its ${keys.length} top-level keys is a runbook's; ${RUNBOOK_STARTS}`,
    },
  ];
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
      return keepFirstDiagnostics(file, [problem], () => decoded.pos ?? { line: 1, col: 1 });
    }
    text = decoded.text;
  }
  const read = readYaml(text);
  if (!read.ok) return keepFirstDiagnostics(file, read.problems, (p) => p.pos);
  const { value, positionOf } = read.yaml;
  const place = (problems: readonly PathProblem[]): ShownDiagnostics =>
    keepFirstDiagnostics(file, problems, (p) => positionOf(p.path, p.atKey));
  const foreign = checkLooksLikeRunbook(value);
  if (foreign.length > 0) return place(foreign);
  const unresolved = expandUrlRefs(value);
  if (unresolved.length > 0) return place(unresolved);
  const parsed = RunbookSchema.safeParse(value);
  if (!parsed.success) return place(formatIssues(RunbookSchema, value, parsed.error.issues));
  const shown = place(checkRunbookRules(parsed.data, options));
  return shown.errors.length > 0 ? shown : { ...shown, runbook: parsed.data };
}
