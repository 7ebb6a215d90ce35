/**
 * Parsing command words with zod: positional arguments and `--flags`. Every error names the argument (as the
 * usage line names it), what is wrong with it, and ends with the usage.
 */
import * as z from 'zod';
import { quoted, UserError } from '../core/index.ts';
import { closestWord } from './closest-word.ts';
import { splitAtInvisibleBreaks } from './invisible-breaks.ts';

export interface ParsedWords {
  readonly positional: readonly string[];
  readonly flags: ReadonlySet<string>;
}

/**
 * A fixed word of the grammar as typed, in the case it is compared in: command names, choices (`skip`, `logs`) and
 * option names are the same whatever case they are typed in (`/deploy decide SKIP`, `--Emergency`).
 */
export const foldKeyword = (word: string): string => word.toLowerCase();

/** A word that must be one of `values`, typed in any case; it reads as the value (`SKIP` is `skip`). */
export const Keyword = <const T extends readonly [string, ...string[]]>(values: T) =>
  z.string().transform(foldKeyword).pipe(z.enum(values));

/** Ends the options: every word after it is an argument, even one that starts with `--`. */
export const END_OF_OPTIONS = '--';

const CLOSING: Readonly<Record<string, string>> = { '"': '"', '“': '”' };

/**
 * Splits a command line into words at whitespace. A word that opens with a double quote (`"` or `“`) runs to the
 * matching closing quote, spaces included; inside it, `\"` is a quote and `\\` a backslash. A quote that is
 * never closed is an ordinary character. Outside quotes, zero-width characters between two words that make no
 * `known` word together split them (splitAtInvisibleBreaks).
 */
export function splitCommandLine(text: string, known: (word: string) => boolean = () => false): string[] {
  const words: string[] = [];
  let i = 0;
  while (i < text.length) {
    while (i < text.length && /\s/.test(text[i] ?? '')) i++;
    if (i >= text.length) break;
    const close = CLOSING[text[i] ?? ''];
    const quoted = close === undefined ? undefined : readQuoted(text, i + 1, close);
    if (quoted) {
      words.push(quoted.word);
      i = quoted.end;
      continue;
    }
    const start = i;
    while (i < text.length && !/\s/.test(text[i] ?? '')) i++;
    words.push(...splitAtInvisibleBreaks(text.slice(start, i), known));
  }
  return words;
}

/** The quoted word from `from` to its closing quote (which must end the word), or undefined when it never closes. */
function readQuoted(text: string, from: number, close: string): { word: string; end: number } | undefined {
  let word = '';
  for (let i = from; i < text.length; i++) {
    const c = text[i] ?? '';
    if (c === '\\' && (text[i + 1] === close || text[i + 1] === '\\')) {
      word += text[i + 1];
      i++;
    } else if (c === close && (i + 1 >= text.length || /\s/.test(text[i + 1] ?? ''))) {
      return { word, end: i + 1 };
    } else word += c;
  }
  return undefined;
}

/** A word written so that splitCommandLine reads it back as it is: quoted when it holds spaces or opens with a quote. */
export function quoteArgument(word: string): string {
  if (word !== '' && !/\s/.test(word) && CLOSING[word[0] ?? ''] === undefined) return word;
  return `"${word.replace(/[\\"]/g, (c) => `\\${c}`)}"`;
}

/** A name word as plain as the grammar writes it: letters, digits, ".", "_" and "-". */
const NAME_WORD = /^[A-Za-z0-9][A-Za-z0-9._-]*$/;

/** `word` with look-alike characters as their plain ones (NFKC) and invisible ones (format characters) left out. */
export const withoutLookAlikes = (word: string): string => word.normalize('NFKC').replace(/\p{Cf}/gu, '');

/**
 * A word typed with look-alike or invisible characters (`ｓｈｏｐ－１` from an IME, `shop` with a zero-width space
 * pasted in) that is a plain name once they are folded: that name. Any other word stays as typed.
 */
export function foldNameWord(word: string): string {
  const folded = withoutLookAlikes(word);
  return folded !== word && NAME_WORD.test(folded) ? folded : word;
}

/** An em or en dash opening an option name: what macOS and some keyboards make of a typed `--`. */
const DASHED_OPTION = /^[\u2013\u2014](?=\p{L})/u;

/**
 * The options typed with a dash for `--` (`—emergency`, `–for=2h`), spelled with `--` as the grammar reads them;
 * only before END_OF_OPTIONS: after it, such a word is text.
 */
export function foldDashedOptions(words: readonly string[]): string[] {
  const end = words.indexOf(END_OF_OPTIONS);
  return words.map((w, i) => (end >= 0 && i > end ? w : w.replace(DASHED_OPTION, '--')));
}

/** Command words as the grammar reads them: options typed with a dash for `--`, and names folded (foldNameWord). */
export function foldCommandWords(words: readonly string[]): string[] {
  return foldDashedOptions(words.map(foldNameWord));
}

/** Splits words into positional arguments and `--flags`; after END_OF_OPTIONS every word is positional. */
export function splitWords(words: readonly string[]): ParsedWords {
  const end = words.indexOf(END_OF_OPTIONS);
  const options = end < 0 ? words : words.slice(0, end);
  const after = end < 0 ? [] : words.slice(end + 1);
  return {
    positional: [...options.filter((w) => !w.startsWith('--')), ...after],
    flags: new Set(options.filter((w) => w.startsWith('--')).map((w) => foldKeyword(w.slice(2)))),
  };
}

/**
 * Takes a `--name=value` option out of the words (only before END_OF_OPTIONS: after it, such a word is text). The
 * option given bare (`--for 2h`), empty or more than once is an error that says how to write it.
 */
export function takeValueOption(
  words: readonly string[],
  option: { readonly name: string; readonly what: string; readonly example: string },
  usage: string,
): { readonly value?: string; readonly rest: string[] } | UserError {
  const end = words.indexOf(END_OF_OPTIONS);
  const options = end < 0 ? words : words.slice(0, end);
  const prefix = `--${option.name}=`;
  const named = (w: string) => foldKeyword(w.slice(0, prefix.length)) === prefix;
  if (options.some((w) => foldKeyword(w) === `--${option.name}` || foldKeyword(w) === prefix))
    return new UserError(
      'BAD_COMMAND',
      `--${option.name} takes its ${option.what} after "=", like ${prefix}${option.example}. Usage: ${usage}`,
    );
  const given = options.filter(named);
  if (given.length > 1)
    return new UserError(
      'BAD_COMMAND',
      `--${option.name} is given more than once: give one ${option.what}. Usage: ${usage}`,
    );
  const taken = given[0];
  if (taken === undefined) return { rest: [...words] };
  return {
    value: taken.slice(prefix.length),
    rest: words.filter((w, i) => w !== taken || (end >= 0 && i > end)),
  };
}

interface Argument {
  readonly name: string;
  readonly required: boolean;
}

const NAMED = '<[^<>\\s]+>(?:\\|<[^<>\\s]+>)*';
const ARGUMENT = new RegExp(`^${NAMED}$|^\\[${NAMED}\\]$|^\\[[a-z]+\\]$`);

/**
 * The positional arguments a usage line names: `<service>` is required, `[<environment>]` and `[reason]` not; one
 * that may be either of two (`[<service>|<deployment>]`) is named by both ("service or deployment").
 */
export function usageArguments(usage: string): readonly Argument[] {
  return usage
    .split(' ')
    .filter((token) => ARGUMENT.test(token))
    .map((token) => ({
      name: token
        .replace(/^\[|\]$/g, '')
        .replaceAll('>|<', ' or ')
        .replace(/[<>]/g, ''),
      required: !token.startsWith('['),
    }));
}

/** A word as typed, safe to quote back in a reply: short, on one line. */
export function quoteWord(word: string): string {
  const flat = word.replace(/[\p{Cc}\p{Cf}\p{Zl}\p{Zp}]/gu, '�');
  const chars = [...flat];
  return quoted(chars.length > 40 ? `${chars.slice(0, 40).join('')}…` : flat);
}

const count = (n: number) => n.toLocaleString('en-US');
const listNames = (args: readonly Argument[]) => {
  const names = args.map((a) => `<${a.name}>`);
  return names.length <= 1 ? (names[0] ?? '') : `${names.slice(0, -1).join(', ')} and ${names.at(-1)}`;
};

/** Parses positional words with a zod tuple; errors name the argument and the usage. */
export function parseArgs<T extends z.ZodType>(
  schema: T,
  words: readonly string[],
  usage: string,
  allowedFlags: readonly string[] = [],
): z.output<T> | UserError {
  const { positional } = splitWords(words);
  const end = words.indexOf(END_OF_OPTIONS);
  // Quoted back as typed; compared in any case.
  const unknown = (end < 0 ? words : words.slice(0, end)).find(
    (w) => w.startsWith('--') && !allowedFlags.includes(foldKeyword(w.slice(2))),
  );
  if (unknown !== undefined)
    return new UserError('BAD_COMMAND', `unknown option ${quoteWord(unknown)}. Usage: ${usage}`);
  const args = usageArguments(usage);
  // A word over its length limit is named first: the length is the problem, not the count of words.
  const tooLong = positional.findIndex((word, i) => isTooLong(elementOf(schema, i), word));
  if (tooLong >= 0) {
    const issue = elementOf(schema, tooLong)?.safeParse(positional[tooLong]).error?.issues[0];
    const located = issue && { ...issue, path: [tooLong] };
    return new UserError('BAD_COMMAND', `${ended(describeIssue(located, args, positional))} Usage: ${usage}`);
  }
  // An empty word in a required place is one left out: Discord keeps an option left out in its place as "".
  const missing = args.filter((a, i) => a.required && (positional[i] ?? '') === '');
  if (missing.length > 0)
    return new UserError('BAD_COMMAND', `missing ${listNames(missing)}. Usage: ${usage}`);
  const parsed = schema.safeParse(positional);
  if (!parsed.success)
    return new UserError(
      'BAD_COMMAND',
      `${ended(describeIssue(pickIssue(parsed.error.issues[0], positional.length), args, positional))} Usage: ${usage}`,
    );
  return parsed.data;
}

/** The schema of the word at `index` of a tuple (its items, then its rest) or an array. */
function elementOf(schema: z.ZodType, index: number): z.ZodType | undefined {
  if (schema instanceof z.ZodTuple)
    return (
      (schema.def.items[index] as z.ZodType | undefined) ?? (schema.def.rest as z.ZodType | null) ?? undefined
    );
  if (schema instanceof z.ZodArray) return schema.def.element as z.ZodType;
  return undefined;
}

const isTooLong = (schema: z.ZodType | undefined, word: string): boolean =>
  schema?.safeParse(word).error?.issues[0]?.code === 'too_big';

/** For a union of argument lists, the issue of the alternative that takes as many words as were typed. */
function pickIssue(issue: z.core.$ZodIssue | undefined, typed: number): z.core.$ZodIssue | undefined {
  if (issue?.code !== 'invalid_union') return issue;
  const firsts = issue.errors.map((branch) => branch[0]).filter((i) => i !== undefined);
  const arity = (i: z.core.$ZodIssue) =>
    (i.code === 'too_small' || i.code === 'too_big') && i.origin === 'array';
  return pickIssue(
    firsts.find((i) => !arity(i)) ?? firsts.find((i) => i.code === 'too_big') ?? firsts[0],
    typed,
  );
}

/** A sentence with its full stop, unless it ends in a question. */
const ended = (sentence: string): string => (sentence.endsWith('?') ? sentence : `${sentence}.`);

/** `a`, `a or b`, `a, b or c`. */
const orList = (items: readonly string[]): string =>
  items.length <= 1 ? (items[0] ?? '') : `${items.slice(0, -1).join(', ')} or ${items.at(-1)}`;

/** What is wrong with the words, in the terms of the usage line. */
function describeIssue(
  issue: z.core.$ZodIssue | undefined,
  args: readonly Argument[],
  words: readonly string[],
): string {
  if (!issue) return 'the arguments do not fit';
  const index = typeof issue.path[0] === 'number' ? issue.path[0] : undefined;
  const rest = args.at(-1);
  const name =
    index === undefined ? 'the arguments' : (args[index]?.name ?? rest?.name ?? `word ${index + 1}`);
  const word = index === undefined ? undefined : words[index];
  if (issue.code === 'too_big' && issue.origin === 'array')
    return `too many arguments: ${count(words.length)} given, at most ${count(Number(issue.maximum))} (${args.map((a) => a.name).join(', ')})`;
  if (issue.code === 'too_small' && issue.origin === 'array') return `missing ${listNames(args)}`;
  if (issue.code === 'too_big' && issue.origin === 'string')
    return `${name} is ${count((word ?? '').length)} characters; at most ${count(Number(issue.maximum))}`;
  if (issue.code === 'too_small' && issue.origin === 'string') return `${name} is empty`;
  // zod's own "Invalid option: expected one of …" said plainly; a command's own message stays as it is.
  const choices = issue.code === 'invalid_value' ? issue.values.map(String) : [];
  const meant = word === undefined ? undefined : closestWord(foldKeyword(word), choices);
  const message =
    issue.code === 'invalid_value' && /^Invalid (option|input)/.test(issue.message)
      ? `choose ${orList(choices)}${meant === undefined ? '' : `; did you mean ${meant}?`}`
      : issue.message;
  if (word !== undefined && name.includes('|')) return `${quoteWord(word)}: ${message}`;
  if (word !== undefined) return `${name} ${quoteWord(word)}: ${message}`;
  return `${name}: ${message}`;
}

/** The longest name word: ids, services and environments. */
export const WORD_MAX = 63;
/** A word that is an id, service or environment name: short and harmless. */
export const Word = z
  .string()
  .max(WORD_MAX)
  .regex(
    /^[A-Za-z0-9][A-Za-z0-9._-]*$/,
    'use letters, digits, ".", "_" and "-" (starting with a letter or digit)',
  );
/** The longest version (as a container image tag). */
export const VERSION_MAX = 128;
/** A version as typed; the runbook's pattern checks it further. */
export const VersionWord = z.string().min(1).max(VERSION_MAX);
/**
 * The longest free text (a reason, a note, what happened), however many words it is typed as: as long as the
 * reason a form or a thread reply gives, and what Discord's text options declare.
 */
export const TEXT_MAX = 500;
/** A word of free text; the whole text is held to TEXT_MAX by joinText. */
export const TextWord = z.string().max(TEXT_MAX);

/** The error for an argument over its length, named as the usage line names it. */
export function tooLongError(name: string, length: number, max: number, usage: string): UserError {
  return new UserError(
    'BAD_COMMAND',
    `${name} is ${count(length)} characters; at most ${count(max)}. Usage: ${usage}`,
  );
}

/** Free-text words (a reason, a note) joined with spaces, or the error naming the text when it is over TEXT_MAX. */
export function joinText(words: readonly string[], name: string, usage: string): string | UserError {
  const text = words.join(' ').trim();
  return text.length <= TEXT_MAX ? text : tooLongError(name, text.length, TEXT_MAX, usage);
}
