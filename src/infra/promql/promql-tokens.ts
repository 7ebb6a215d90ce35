/**
 * PromQL's words, brackets and operators with their offsets, to say in a message what the parser stopped at and
 * which bracket is still open. The parser alone decides whether a query is valid.
 */
export interface PromqlToken {
  readonly text: string;
  readonly from: number;
}

const TOKEN =
  /\s+|#[^\n]*|"(?:[^"\\]|\\.)*"?|'(?:[^'\\]|\\.)*'?|`[^`]*`?|[A-Za-z_:][\w:]*|\d[\w.]*|\.\d[\w.]*|==|!=|>=|<=|=~|!~|\S/gy;

/** The query's tokens in order, without spaces and comments. */
export function promqlTokens(query: string): PromqlToken[] {
  const tokens: PromqlToken[] = [];
  TOKEN.lastIndex = 0;
  for (let m = TOKEN.exec(query); m !== null && m[0] !== ''; m = TOKEN.exec(query))
    if (!/^\s|^#/.test(m[0])) tokens.push({ text: m[0], from: m.index });
  return tokens;
}

/** A token as a message quotes it: in double quotes, a long one cut short. */
export function quoteToken(token: PromqlToken): string {
  const text = token.text.length > 30 ? `${token.text.slice(0, 29)}…` : token.text;
  return JSON.stringify(text);
}
