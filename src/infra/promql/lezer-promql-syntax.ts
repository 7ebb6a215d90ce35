/**
 * PromqlSyntax through Prometheus's own PromQL grammar (the Lezer parser its web UI uses): error nodes in the
 * parse tree mark a syntax error; the tokens around the first one say what it is.
 */
import { parser } from '@prometheus-io/lezer-promql';
import type { PromqlSyntax, PromqlSyntaxError } from '../../core/index.ts';
import { type PromqlToken, promqlTokens, quoteToken } from './promql-tokens.ts';

const CLOSER: Readonly<Record<string, string>> = { '(': ')', '[': ']', '{': '}' };
const NAME: Readonly<Record<string, string>> = {
  '(': 'parenthesis',
  '[': 'bracket',
  '{': 'brace',
  ')': 'parenthesis',
  ']': 'bracket',
  '}': 'brace',
};
const FUNCTIONS = 'https://prometheus.io/docs/prometheus/latest/querying/functions/';

interface Parsed {
  /** Where the first error node starts, if any. */
  readonly error?: number;
  /** Where the first string without its closing quote starts, if any. */
  readonly unclosedString?: number;
  /** Whether anything but comments and errors was read. */
  readonly hasExpression: boolean;
}

function closedString(text: string): boolean {
  const quote = text[0] ?? '';
  if (text.length < 2 || !text.endsWith(quote)) return false;
  if (quote === '`') return true;
  const escapes = /\\*$/.exec(text.slice(0, -1))?.[0].length ?? 0;
  return escapes % 2 === 0;
}

function parse(query: string): Parsed {
  let error: number | undefined;
  let unclosedString: number | undefined;
  let hasExpression = false;
  parser.parse(query).iterate({
    enter(node) {
      if (node.type.isError) {
        error = Math.min(error ?? node.from, node.from);
        return false;
      }
      if (node.name === 'StringLiteral' && !closedString(query.slice(node.from, node.to)))
        unclosedString ??= node.from;
      if (node.name !== 'PromQL' && node.name !== 'LineComment') hasExpression = true;
      return undefined;
    },
  });
  return {
    ...(error === undefined ? {} : { error }),
    ...(unclosedString === undefined ? {} : { unclosedString }),
    hasExpression,
  };
}

/** The brackets still open before `end`, innermost last, or the first closer that fits none. */
function openBrackets(tokens: readonly PromqlToken[], end: number) {
  const open: PromqlToken[] = [];
  for (const token of tokens) {
    if (token.from >= end) break;
    if (CLOSER[token.text]) open.push(token);
    else if (NAME[token.text]) {
      if (CLOSER[open.at(-1)?.text ?? ''] !== token.text) return { open, stray: token };
      open.pop();
    }
  }
  return { open };
}

function atEnd(tokens: readonly PromqlToken[], at: number, open: readonly PromqlToken[]): PromqlSyntaxError {
  const last = tokens.filter((t) => t.from < at).at(-1);
  const inner = open.at(-1);
  if (inner && last && (last === inner || !/^[,+\-*/%^=!<>]/.test(last.text)))
    return {
      offset: inner.from,
      problem: `unclosed ${NAME[inner.text]}`,
      fix: `the "${inner.text}" there is never closed: add the "${CLOSER[inner.text]}" that closes it`,
    };
  if (!last) return { offset: 0, problem: 'empty query', fix: 'write a PromQL expression, e.g. up' };
  return {
    offset: last.from,
    problem: `incomplete expression after ${quoteToken(last)}`,
    fix: 'the query ends there, and an expression must follow it',
  };
}

function inside(tokens: readonly PromqlToken[], at: number, open: readonly PromqlToken[]): PromqlSyntaxError {
  const next = tokens.find((t) => t.from + t.text.length > at);
  const before = tokens.filter((t) => t.from + t.text.length <= at).at(-1);
  const inner = open.at(-1);
  if (next && NAME[next.text] && !CLOSER[next.text] && CLOSER[inner?.text ?? ''] !== next.text) {
    return inner
      ? {
          offset: next.from,
          problem: `"${next.text}" where "${CLOSER[inner.text]}" is expected`,
          fix: `the ${NAME[inner.text]} "${inner.text}" opened before it must be closed first`,
        }
      : {
          offset: next.from,
          problem: `unmatched closing ${NAME[next.text]}`,
          fix: `this "${next.text}" closes nothing: remove it, or add the opening one it belongs to`,
        };
  }
  if (
    next?.text === '(' &&
    before &&
    /^[A-Za-z_]/.test(before.text) &&
    before.from + before.text.length === next.from
  )
    return {
      offset: before.from,
      problem: `unknown function ${quoteToken(before)}`,
      fix: `use one of the functions PromQL has (${FUNCTIONS})`,
    };
  const what = next ? quoteToken(next) : 'text';
  return {
    offset: next?.from ?? at,
    problem: `unexpected ${what}${before ? ` after ${quoteToken(before)}` : ''}`,
    fix: 'PromQL cannot read on from there: fix the query at that point',
  };
}

export const lezerPromqlSyntax: PromqlSyntax = {
  firstError(query) {
    const parsed = parse(query);
    if (parsed.unclosedString !== undefined && (parsed.error ?? Infinity) >= parsed.unclosedString)
      return {
        offset: parsed.unclosedString,
        problem: 'unclosed string',
        fix: 'end the string with the quote it starts with',
      };
    const error = parsed.error;
    if (error === undefined) return undefined;
    const tokens = promqlTokens(query);
    const { open, stray } = openBrackets(tokens, error);
    if (stray) return inside(tokens, stray.from, open);
    if (!parsed.hasExpression)
      return { offset: 0, problem: 'empty query', fix: 'write a PromQL expression, e.g. up' };
    const rest = tokens.some((t) => t.from >= error);
    return rest ? inside(tokens, error, open) : atEnd(tokens, error, openBrackets(tokens, query.length).open);
  },
};
