/** Explains YAML syntax errors: what is wrong and how to fix it, pointing at the place to fix. */
import { type Document, isScalar, isSeq, type Node, visit, type YAMLError } from 'yaml';
import type { PlacedProblem, Position } from './diagnostic.ts';
import { describeYamlErrorCode, rewriteYamlMessage } from './yaml-error-texts.ts';

type At = (offset: number) => Position;

interface Source {
  readonly doc: Document;
  readonly text: string;
  readonly at: At;
}

function firstLine(message: string): string {
  const head = message.split('\n')[0] ?? message;
  return head.replace(/ at line \d+, column \d+:?$/, '').replace(/:$/, '');
}

/** The offset of the first non-blank character on the line holding `offset`. */
function lineIndentOffset(text: string, offset: number): number {
  const start = text.lastIndexOf('\n', offset - 1) + 1;
  const indent = /^[ \t]*/.exec(text.slice(start))?.[0].length ?? 0;
  return start + indent;
}

/** The innermost node matching `accept` that starts before `offset` and runs up to it: the one left open. */
function findOpenNode(doc: Document, offset: number, accept: (node: Node) => boolean): Node | undefined {
  let best: Node | undefined;
  const consider = (node: Node): void => {
    const range = node.range;
    if (!range || !accept(node) || range[0] >= offset || range[1] < offset) return;
    if (!best?.range || range[0] > best.range[0]) best = node;
  };
  visit(doc, {
    Map: (_k, node) => consider(node),
    Seq: (_k, node) => consider(node),
    Scalar: (_k, node) => consider(node),
  });
  return best;
}

/** Suggests the value in quotes, choosing quotes the value does not contain. */
function quoted(value: string): string {
  return value.includes('"') ? `'${value.replaceAll("'", "''")}'` : `"${value}"`;
}

function explainUnclosedFlow(e: YAMLError, src: Source): PlacedProblem | undefined {
  const node = findOpenNode(
    src.doc,
    e.pos[0],
    (n) => (n as { flow?: boolean }).flow === true && !isScalar(n),
  );
  if (!node?.range) return undefined;
  const [open, close, kind] = isSeq(node) ? ['[', ']', 'list'] : ['{', '}', 'mapping'];
  return {
    path: [],
    pos: src.at(node.range[0]),
    message: `this "${open}" is never closed; end the ${kind} with "${close}" on the same line, or indent its continuation lines more than its key`,
  };
}

function explainUnclosedQuote(e: YAMLError, src: Source): PlacedProblem | undefined {
  const node = findOpenNode(
    src.doc,
    e.pos[0],
    (n) => isScalar(n) && (n.type === 'QUOTE_DOUBLE' || n.type === 'QUOTE_SINGLE'),
  );
  if (!node?.range) return undefined;
  const quote = isScalar(node) && node.type === 'QUOTE_SINGLE' ? "'" : '"';
  return {
    path: [],
    pos: src.at(node.range[0]),
    message: `this quoted value is never closed; add the closing ${quote} at its end`,
  };
}

/** Columns of indentation of the line holding `offset`. */
function indentOf(text: string, offset: number): number {
  return lineIndentOffset(text, offset) - (text.lastIndexOf('\n', offset - 1) + 1);
}

/**
 * A plain scalar that runs on into a later "key:" line: either that key is indented too far, so it continues
 * the value above, or the line above is a bare word with no ":".
 */
function explainMultilineKey(e: YAMLError, src: Source): PlacedProblem {
  const keyStart = lineIndentOffset(src.text, e.pos[1]);
  const key = src.text.slice(keyStart, e.pos[1]).trim();
  const valueLine = src.at(e.pos[0]).line;
  if (indentOf(src.text, e.pos[1]) > indentOf(src.text, e.pos[0])) {
    return {
      path: [],
      pos: src.at(keyStart),
      message: `"${key}" is indented more than the key above it, so YAML reads it as part of the value on line ${valueLine}; line it up with the other keys`,
      plain: `this key is indented more than the key above it, so YAML reads it as part of the value on line ${valueLine}`,
    };
  }
  const end = src.text.indexOf('\n', e.pos[0]);
  const line = src.text.slice(e.pos[0], end < 0 ? undefined : end).trim();
  const space = line.indexOf(' ');
  const fix =
    space < 0
      ? `write it as ${line}: value, or remove it`
      : `did you mean "${line.slice(0, space)}: ${line.slice(space + 1).trim()}"?`;
  return {
    path: [],
    pos: src.at(e.pos[0]),
    message: `"${line}" has no ":" after its key, so YAML joins it with the next line into one key; ${fix}`,
    plain: 'this line has no ":" after its key, so YAML joins it with the next line into one key',
  };
}

function explainColonInValue(e: YAMLError, src: Source): PlacedProblem {
  const end = src.text.indexOf('\n', e.pos[0]);
  const value = src.text
    .slice(e.pos[0], end < 0 ? undefined : end)
    .replace(/\s+#.*$/, '')
    .trim();
  return {
    path: [],
    pos: src.at(e.pos[0]),
    message: `this value contains ": ", which YAML reads as a nested key; put the whole value in quotes: ${quoted(value)}`,
    plain: 'this value contains ": ", which YAML reads as a nested key',
  };
}

/** `steps: {}` (or `[]`) followed by the step list: the empty value, not the list, is the mistake. */
function explainEmptyValueBeforeBlock(e: YAMLError, src: Source): PlacedProblem | undefined {
  const lineStart = src.text.lastIndexOf('\n', e.pos[0] - 1) + 1;
  const before = src.text.slice(0, Math.max(0, lineStart - 1)).split('\n');
  let index = before.length - 1;
  while (index >= 0 && /^\s*(#.*)?$/.test(before[index] ?? '')) index--;
  const previous = before[index] ?? '';
  const match = /^(\s*(?:- )?)([^\s#:][^:#]*):[ \t]+(\{\}|\[\])[ \t]*(#.*)?$/.exec(previous);
  const indent = /^\s*/.exec(src.text.slice(lineStart))?.[0].length ?? 0;
  if (!match || indent < (match[1] ?? '').length || index < 0) return undefined;
  const offset =
    before.slice(0, index).reduce((n, line) => n + line.length + 1, 0) +
    previous.indexOf(match[3] ?? '', (match[1] ?? '').length + (match[2] ?? '').length);
  const next = src.text.slice(lineStart).trimStart().startsWith('-') ? 'list' : 'mapping';
  return {
    path: [],
    pos: src.at(offset),
    message: `"${match[3]}" gives ${match[2]} an empty value, so the ${next} under it belongs to nothing; remove "${match[3]}" (write "${match[2]}:" alone)`,
    plain: `"${match[3]}" gives the key above an empty value, so the ${next} under it belongs to nothing`,
  };
}

/** Brackets open at once past which they, not the indentation, are why the parser ran out of stack. */
const DEEP_BRACKETS = 256;

/** Where brackets ([ or {) first stand DEEP_BRACKETS deep, or -1 (quoted text and comments left out). */
function deepBracketsAt(text: string): number {
  let depth = 0;
  let first = -1;
  let quote = '';
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (quote !== '') {
      if (c === quote) quote = '';
      continue;
    }
    if (c === '"' || c === "'") quote = c;
    else if (c === '#' && (i === 0 || /\s/.test(text[i - 1] ?? '')))
      i = text.indexOf('\n', i) < 0 ? text.length : text.indexOf('\n', i);
    else if (c === '[' || c === '{') {
      if (depth === 0) first = i;
      if (++depth >= DEEP_BRACKETS) return first;
    } else if ((c === ']' || c === '}') && depth > 0) depth--;
  }
  return -1;
}

/**
 * Brackets nested DEEP_BRACKETS deep, found before parsing: the parser holds every open bracket until its stack
 * runs out, which for a 1 MB file of them took 800 MB of memory.
 */
export function findDeepBrackets(text: string, at: At): PlacedProblem | undefined {
  const opened = deepBracketsAt(text);
  if (opened < 0) return undefined;
  return {
    path: [],
    pos: at(opened),
    message:
      'the YAML nests too deeply to read (thousands of [ or { inside each other); a runbook nests a few levels: close the brackets opened here',
  };
}

/**
 * The parser ran out of stack: thousands of nested [ or {, or of indented keys and `- ` items (no runbook nests
 * more than a few levels). It says which, where the brackets open or where the nesting got too deep.
 */
function explainTooDeep(e: YAMLError, src: Source): PlacedProblem {
  const brackets = findDeepBrackets(src.text, src.at);
  if (brackets) return brackets;
  return {
    path: [],
    pos: src.at(e.pos[0]),
    message:
      'the YAML nests too deeply to read (keys or "- " list items indented inside each other hundreds of levels deep); a runbook nests a few levels: check the indentation and the dashes up to here',
  };
}

function explainSyntax(e: YAMLError, src: Source): PlacedProblem {
  const text = firstLine(e.message);
  if (e.code === 'BAD_INDENT' && /^Flow (map|sequence)/.test(text)) {
    const unclosed = explainUnclosedFlow(e, src);
    if (unclosed) return unclosed;
  }
  if (e.code === 'MISSING_CHAR' && /closing .?quote/i.test(text)) {
    const unclosed = explainUnclosedQuote(e, src);
    if (unclosed) return unclosed;
  }
  if (e.code === 'MULTILINE_IMPLICIT_KEY') return explainMultilineKey(e, src);
  // The parser ran out of stack: thousands of nested [ or { (no runbook nests more than a few levels). The
  // overflow can land anywhere, e.g. in compiling one of the parser's regular expressions ("Invalid regular
  // expression: …: Stack overflow"), so it is recognised by its code, not by V8's message.
  if (e.code === 'RESOURCE_EXHAUSTION' || /Maximum call stack size exceeded/.test(text))
    return explainTooDeep(e, src);
  if (e.code === 'BLOCK_AS_IMPLICIT_KEY')
    return explainEmptyValueBeforeBlock(e, src) ?? explainColonInValue(e, src);
  const rewritten = rewriteYamlMessage(text);
  const pos = rewritten?.atIndent ? src.at(lineIndentOffset(src.text, e.pos[0])) : src.at(e.pos[0]);
  // The parser's own words may quote the file (a tag, an escape, an anchor's name).
  if (!rewritten) return { path: [], pos, message: text, plain: describeYamlErrorCode(e.code) };
  return { path: [], pos, message: rewritten.message };
}

/** The first syntax error is the one to fix: later ones are often the parser losing its way after it. */
function pickFirstSyntaxError(errors: readonly YAMLError[]): YAMLError | undefined {
  const sorted = [...errors].sort((a, b) => a.pos[0] - b.pos[0]);
  const first = sorted[0];
  if (!first) return undefined;
  // A value running on into an over-indented key reports both codes at one offset; the indentation is the cause.
  return sorted.find((e) => e.pos[0] === first.pos[0] && e.code === 'MULTILINE_IMPLICIT_KEY') ?? first;
}

/** What each repeated key's message says, by its offset: one pass over the document, however many there are. */
function describeDuplicateKeys(src: Source): Map<number, string> {
  const described = new Map<number, string>();
  visit(src.doc, {
    Map(_k, map) {
      const seen = new Map<string, number>();
      for (const pair of map.items) {
        if (!isScalar(pair.key) || !pair.key.range) continue;
        const name = String(pair.key.value);
        const first = seen.get(name);
        if (first === undefined) seen.set(name, pair.key.range[0]);
        else
          described.set(
            pair.key.range[0],
            `duplicate key "${name}" (already set on line ${src.at(first).line}); each key may appear once in a mapping, so remove one of them`,
          );
      }
    },
  });
  return described;
}

function explainDuplicateKeys(errors: readonly YAMLError[], src: Source): PlacedProblem[] {
  const described = describeDuplicateKeys(src);
  return errors.map((e) => ({
    path: [],
    pos: e.linePos?.[0] ?? src.at(e.pos[0]),
    message:
      described.get(e.pos[0]) ?? 'duplicate key: each key may appear once in a mapping; remove one of them',
    plain: 'this key is set twice in one mapping',
  }));
}

/** One problem for the first syntax error, or one per duplicate key when the syntax is otherwise fine. */
export function explainYamlErrors(doc: Document, text: string, at: At): PlacedProblem[] {
  const src: Source = { doc, text, at };
  const syntax = pickFirstSyntaxError(doc.errors.filter((e) => e.code !== 'DUPLICATE_KEY'));
  if (syntax) return [explainSyntax(syntax, src)];
  return explainDuplicateKeys(doc.errors, src);
}
