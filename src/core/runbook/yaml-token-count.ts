/**
 * Counts a runbook's YAML tokens before it is parsed. A file under 1 MB of tiny tokens (`[a,a,a,…]`, `- {}` a
 * hundred thousand times, thousands of keys, a stray `]` on every line) made the parser, its errors, the schema
 * and its issues take up to a gigabyte and a minute; the lexer hands over one token at a time and holds none.
 */
import { CST, Lexer } from 'yaml';
import type { PlacedProblem, Position } from './diagnostic.ts';

/** The most YAML tokens a runbook may hold; the largest real ones hold about 3,000. */
export const MAX_YAML_TOKENS = 50_000;

/**
 * Tokens that cost the parser nothing to speak of, not counted. A plain value comes as the lexer's scalar
 * marker, counted, then its text, which has no type of its own.
 */
const FREE_TOKENS = new Set<string | null>([
  'space',
  'newline',
  'comment',
  'doc-mode',
  'byte-order-mark',
  null,
]);

/** The lexer's markers, which stand for no text of the file. */
const MARKERS = new Set<string>([CST.SCALAR, CST.DOCUMENT, CST.FLOW_END]);

/** The offset of the token past MAX_YAML_TOKENS, or -1 when the text holds no more than that. */
function tokenPastLimit(text: string): number {
  let tokens = 0;
  let offset = 0;
  for (const token of new Lexer().lex(text)) {
    if (!FREE_TOKENS.has(CST.tokenType(token)) && ++tokens > MAX_YAML_TOKENS) return offset;
    if (!MARKERS.has(token)) offset += token.length;
  }
  return -1;
}

/** Refuses a runbook of more than MAX_YAML_TOKENS tokens, at the first token past the limit. */
export function findTooManyTokens(text: string, at: (offset: number) => Position): PlacedProblem | undefined {
  const offset = tokenPastLimit(text);
  if (offset < 0) return undefined;
  const limit = MAX_YAML_TOKENS.toLocaleString('en-US');
  return {
    path: [],
    pos: at(offset),
    message: `the runbook holds more than ${limit} YAML tokens (keys, values, dashes, colons, commas and brackets) and passes that limit here; a runbook holds a few thousand: remove what is repeated`,
  };
}
