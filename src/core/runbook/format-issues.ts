/** Turns zod issues into messages that say what is wrong and how to fix it. */

import type * as z from 'zod';
import { countOf } from '../count-words.ts';
import { type DiagnosticPath, formatPath, type PathProblem } from './diagnostic.ts';
import { quoteValue } from './quote-value.ts';
import { hintFor } from './scalar-hints.ts';
import { examplesAt, knownKeysAt } from './schema-walk.ts';
import { didYouMean, suggest } from './suggest.ts';

type Issue = z.core.$ZodIssue;

/** A formatted problem, or a required key that is missing (merged per mapping at the end). */
type Finding =
  | { readonly problem: PathProblem; readonly meant?: DiagnosticPath }
  | { readonly missing: string; readonly parent: DiagnosticPath };

function describeValue(value: unknown): string {
  if (value === null) return 'an empty value';
  if (Array.isArray(value)) return 'a list';
  // YAML tags give values that are not mappings though JavaScript calls them objects.
  if (value instanceof Uint8Array) return 'binary data (a !!binary value)';
  if (value instanceof Date) return 'a date (a !!timestamp value)';
  if (value instanceof Set) return 'a set (a !!set value)';
  if (typeof value === 'object') return 'a mapping';
  if (typeof value === 'string') return quoteValue(value, 60);
  return String(value);
}

const EXPECTED: Record<string, string> = {
  string: 'text',
  number: 'a number',
  int: 'a whole number',
  boolean: 'true or false',
  array: 'a list',
  object: 'a mapping',
  record: 'a mapping',
};

function valueAt(root: unknown, path: DiagnosticPath): unknown {
  let current: unknown = root;
  for (const part of path) {
    if (current === null || typeof current !== 'object') return undefined;
    current = (current as Record<string | number, unknown>)[part];
  }
  return current;
}

/** How deep into the data a union branch got: the branch that went furthest is the one the author meant. */
function depthOf(issues: readonly Issue[]): number {
  return Math.max(...issues.map((i) => i.path.length + (i.code === 'invalid_type' ? 0 : 0.5)));
}

/** True for zod's built-in wording, which the schema did not replace with a rule of its own. */
const isDefaultMessage = (message: string): boolean => /^Invalid (input|option)\b/.test(message);

/** How to write a value of the expected type, for the common slips: a bare word for a list, yes for true. */
function typeHint(expected: string, input: unknown): string {
  const scalar = typeof input === 'string' || typeof input === 'number';
  if (expected === 'array' && scalar && /^[\w.-]+$/.test(String(input)))
    return `; write a list: [${String(input)}]`;
  if (expected === 'string' && (typeof input === 'number' || typeof input === 'boolean'))
    return '; put the value in quotes';
  if (expected === 'boolean' && typeof input === 'string' && /^(yes|no|on|off|y|n)$/i.test(input))
    return '; YAML 1.2 reads yes, no, on and off as text, so write true or false';
  return '';
}

function formatType(
  schema: z.ZodType,
  issue: z.core.$ZodIssueInvalidType,
  path: DiagnosticPath,
  input: unknown,
): string {
  const where = formatPath(path);
  const found = describeValue(input);
  if (!isDefaultMessage(issue.message))
    return `${where}: ${issue.message}; found ${found}${hintFor(issue.message, input)}`;
  const examples = examplesAt(schema, path);
  if (issue.expected === 'string' && examples.length > 0 && typeof input !== 'string') {
    const like = examples.map((e) => JSON.stringify(e)).join(' or ');
    return `${where}: expected a value like ${like}, found ${found}`;
  }
  const expected = EXPECTED[issue.expected] ?? issue.expected;
  return `${where}: expected ${expected}, found ${found}${typeHint(issue.expected, input)}`;
}

function formatUnknownKeys(schema: z.ZodType, path: DiagnosticPath, keys: readonly string[]): Finding[] {
  const known = knownKeysAt(schema, path);
  return keys.map((key) => {
    const meant = suggest(key, known);
    const list = known.length > 0 ? `; allowed: ${known.join(', ')}` : '';
    return {
      problem: {
        path: [...path, key],
        atKey: true,
        message: `unknown key "${key}" in ${formatPath(path)}${meant === undefined ? list : `; did you mean "${meant}"?`}`,
      },
      ...(meant !== undefined && { meant: [...path, meant] }),
    };
  });
}

function formatOne(schema: z.ZodType, data: unknown, issue: Issue, base: DiagnosticPath): Finding[] {
  const path = [...base, ...(issue.path as (string | number)[])];
  const where = formatPath(path);
  const input = valueAt(data, path);
  const one = (message: string): Finding[] => [{ problem: { path, message } }];
  const key = path[path.length - 1];
  if (input === undefined && typeof key === 'string' && issue.code.startsWith('invalid_')) {
    return [{ missing: key, parent: path.slice(0, -1) }];
  }
  const found = describeValue(input);
  switch (issue.code) {
    case 'unrecognized_keys':
      return formatUnknownKeys(schema, path, issue.keys);
    case 'invalid_union': {
      const branches = issue.errors.filter((b) => b.length > 0);
      if (branches.length === 0) return one(`${where}: ${issue.message}`);
      const best = branches.reduce((a, b) => (depthOf(b) > depthOf(a) ? b : a));
      if (depthOf(best) === 0) {
        const expected = new Set(
          branches.flatMap((b) =>
            b.flatMap((i) => (i.code === 'invalid_type' ? [EXPECTED[i.expected] ?? i.expected] : [])),
          ),
        );
        if (expected.size === 0) return one(`${where}: this value has the wrong shape (found ${found})`);
        return one(`${where}: expected ${joinOr([...expected])}, found ${found}`);
      }
      return best.flatMap((inner) => formatOne(schema, data, inner, path));
    }
    case 'invalid_type':
      return one(formatType(schema, issue, path, input));
    case 'invalid_value': {
      const allowed = issue.values.map(String);
      if (allowed.length === 1) return one(`${where}: ${issue.message}; found ${found}`);
      const hint = typeof input === 'string' ? didYouMean(input, allowed) : '';
      return one(`${where}: must be one of ${allowed.join(', ')}; found ${found}${hint}`);
    }
    case 'invalid_key': {
      const reason = issue.issues[0]?.message ?? 'invalid key';
      return [
        {
          problem: {
            path,
            atKey: true,
            message: `${formatPath(path.slice(0, -1))}: key "${key}" is not a valid name: ${reason}`,
          },
        },
      ];
    }
    case 'too_small':
      if (issue.origin === 'array' && issue.message.startsWith('Too small'))
        return one(`${where}: needs at least ${countOf(Number(issue.minimum), 'item')}`);
      if (issue.origin === 'string' && issue.minimum === 1) return one(`${where}: must not be empty`);
      if (issue.message.startsWith('Too small'))
        return one(`${where}: must be at least ${issue.minimum}; found ${found}`);
      return one(`${where}: ${issue.message}`);
    case 'too_big':
      if (issue.message.startsWith('Too big'))
        return one(`${where}: must be at most ${issue.maximum}; found ${found}`);
      return one(`${where}: ${issue.message}`);
    case 'invalid_format':
      if (issue.message.startsWith('Invalid'))
        return one(`${where}: not a valid ${issue.format}; found ${found}`);
      return one(`${where}: ${issue.message}; found ${found}${hintFor(issue.message, input)}`);
    default:
      return one(
        `${where}: ${issue.message}${input === undefined ? '' : `; found ${found}${hintFor(issue.message, input)}`}`,
      );
  }
}

/** `a, b or c`. */
function joinOr(items: readonly string[]): string {
  return items.length <= 1 ? (items[0] ?? '') : `${items.slice(0, -1).join(', ')} or ${items.at(-1)}`;
}

const keyOf = (path: DiagnosticPath): string => JSON.stringify(path);

function joinQuoted(keys: readonly string[]): string {
  const quoted = keys.map((k) => `"${k}"`);
  return quoted.length === 1 ? (quoted[0] ?? '') : `${quoted.slice(0, -1).join(', ')} and ${quoted.at(-1)}`;
}

/**
 * One problem per mapping for its missing keys, at the mapping's own key. A key that is "missing" because it
 * is misspelt is left to the did-you-mean of the misspelling.
 */
function mergeMissing(findings: readonly Finding[]): PathProblem[] {
  const meant = new Set(findings.flatMap((f) => ('meant' in f && f.meant ? [keyOf(f.meant)] : [])));
  const missing = new Map<string, { parent: DiagnosticPath; keys: string[] }>();
  const problems: PathProblem[] = [];
  for (const f of findings) {
    if ('problem' in f) problems.push(f.problem);
    else if (!meant.has(keyOf([...f.parent, f.missing]))) {
      const entry = missing.get(keyOf(f.parent)) ?? { parent: f.parent, keys: [] };
      entry.keys.push(f.missing);
      missing.set(keyOf(f.parent), entry);
    }
  }
  for (const { parent, keys } of missing.values()) {
    const noun = keys.length === 1 ? 'key' : 'keys';
    problems.push({
      path: parent,
      atKey: true,
      message: `missing required ${noun} ${joinQuoted(keys)} in ${formatPath(parent)}`,
    });
  }
  return problems;
}

/** Formats every issue of a failed parse, one problem per key or value (missing keys merged per mapping). */
export function formatIssues(schema: z.ZodType, data: unknown, issues: readonly Issue[]): PathProblem[] {
  return mergeMissing(issues.flatMap((issue) => formatOne(schema, data, issue, [])));
}
