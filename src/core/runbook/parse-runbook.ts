/** The runbook pipeline: bytes → YAML → schema → semantic rules → `{ runbook, errors, warnings }`. */
import type { PathProblem, PlacedProblem } from './diagnostic.ts';
import { expandUrlRefs } from './expand-url-refs.ts';
import { formatIssues } from './format-issues.ts';
import type { PromqlSyntax } from './promql-syntax-port.ts';
import { checkCommands } from './rules-commands.ts';
import { checkEnvNames } from './rules-env-names.ts';
import { checkMonitoringUrls, type MonitoringUrls } from './rules-monitoring-urls.ts';
import { checkPeople } from './rules-people.ts';
import { checkCommandSecrets, checkPlainSecrets } from './rules-plain-secrets.ts';
import { checkPromql } from './rules-promql.ts';
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
 * How many of the top-level keys are a runbook's (or a near miss), or undefined when they look like a runbook's:
 * at most one runbook key among other keys is some other file, not a broken runbook.
 */
function countRunbookKeys(keys: readonly string[]): number | undefined {
  const known = knownKeysAt(RunbookSchema, []);
  const runbookish = keys.filter((k) => known.includes(k) || suggest(k, known) !== undefined).length;
  return runbookish >= 2 || runbookish === keys.length ? undefined : runbookish;
}

/**
 * Some other file than a runbook: one line saying so beats a list of every key it lacks. It names none of the
 * file's keys: a file given by mistake may be one of secrets, and its keys say what they are.
 */
function checkLooksLikeRunbook(value: unknown): PathProblem[] {
  if (value === null || typeof value !== 'object' || Array.isArray(value)) return [];
  const keys = Object.keys(value);
  const runbookish = countRunbookKeys(keys);
  if (runbookish === undefined) return [];
  const which =
    keys.length === 1
      ? "its one top-level key is not a runbook's"
      : `${runbookish === 0 ? 'none' : `only ${runbookish}`} of its ${keys.length} top-level keys is a runbook's`;
  return [{ path: [], message: `this file is not a runbook: ${which}; ${RUNBOOK_STARTS}` }];
}

/**
 * YAML that cannot be read, in a file that does not look like a runbook: where and what is wrong, quoting none of
 * the file (it may be one of secrets). A broken runbook is told what to fix in its own words. Lines YAML joined
 * into one key (a key without ":") count by their words: `version 1 service` holds two runbook keys.
 */
function unlessForeign(
  problems: readonly PlacedProblem[],
  keys: readonly string[],
): readonly PlacedProblem[] {
  const words = keys.flatMap((k) => k.split(/\s+/).filter((w) => w !== ''));
  const runbookish = words.length === 0 ? 0 : countRunbookKeys(words);
  if (runbookish === undefined) return problems;
  const which =
    words.length === 0
      ? 'no top-level keys can be read'
      : `${runbookish === 0 ? 'none' : 'only one'} of its top-level keys is a runbook's`;
  return problems.map((p) => ({
    ...p,
    message: `this file is not a runbook (${which}), and its YAML cannot be read here: ${p.plain ?? p.message}; ${RUNBOOK_STARTS}`,
  }));
}

/** What the environment adds to validation (the CLI passes it; elsewhere it is not known). */
export interface RunbookCheckOptions {
  /** Which monitoring base URLs the environment sets; unset: not checked. */
  readonly monitoringUrls?: MonitoringUrls;
  /** Reads health checks' and triggers' PromQL; unset: queries are not checked until they run. */
  readonly promql?: PromqlSyntax;
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
    ...(options.promql ? checkPromql(runbook, options.promql) : []),
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
  if (!read.ok) {
    const problems = read.keys === undefined ? read.problems : unlessForeign(read.problems, read.keys);
    return keepFirstDiagnostics(file, problems, (p) => p.pos);
  }
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
