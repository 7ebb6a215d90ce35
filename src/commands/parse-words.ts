/** Parsing command words with zod: positional arguments and `--flags`, with usage in every error. */
import * as z from 'zod';
import { UserError } from '../core/index.ts';

export interface ParsedWords {
  readonly positional: readonly string[];
  readonly flags: ReadonlySet<string>;
}

/** Splits words into positional arguments and `--flags`. */
export function splitWords(words: readonly string[]): ParsedWords {
  return {
    positional: words.filter((w) => !w.startsWith('--')),
    flags: new Set(words.filter((w) => w.startsWith('--')).map((w) => w.slice(2))),
  };
}

/** Parses positional words with a zod tuple; errors name the usage. */
export function parseArgs<T extends z.ZodType>(
  schema: T,
  words: readonly string[],
  usage: string,
  allowedFlags: readonly string[] = [],
): z.output<T> | UserError {
  const { positional, flags } = splitWords(words);
  const unknown = [...flags].filter((f) => !allowedFlags.includes(f));
  if (unknown.length > 0)
    return new UserError('BAD_COMMAND', `unknown option --${unknown[0]}. Usage: ${usage}`);
  const parsed = schema.safeParse(positional);
  if (!parsed.success)
    return new UserError('BAD_COMMAND', `${describeIssue(parsed.error.issues[0])}. Usage: ${usage}`);
  return parsed.data;
}

const isSize = (issue: z.core.$ZodIssue) => issue.code === 'too_small' || issue.code === 'too_big';

/** What is wrong with the words; for a union of argument lists, the reason its alternatives share. */
function describeIssue(issue: z.core.$ZodIssue | undefined): string {
  if (issue?.code === 'invalid_union') {
    const inner = issue.errors.flatMap((branch) => branch.slice(0, 1));
    const sameSize = inner.every((i) => isSize(i) && i.code === inner[0]?.code);
    return describeIssue(sameSize ? inner[0] : (inner.find((i) => !isSize(i)) ?? inner[0]));
  }
  if (issue?.code === 'too_small') return 'missing arguments';
  if (issue?.code === 'too_big') return 'too many arguments';
  return issue?.message ?? 'bad arguments';
}

/** A word that is an id, service or environment name: short and harmless. */
export const Word = z
  .string()
  .regex(/^[A-Za-z0-9][A-Za-z0-9._-]{0,62}$/, 'names use letters, digits, ".", "_" and "-"');
/** A version as typed; the runbook's pattern checks it further. */
export const VersionWord = z.string().min(1).max(200);
