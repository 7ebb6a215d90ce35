/** Reads runbook YAML safely: size and encoding limits, syntax errors, no aliases, positions for paths. */
import {
  type Document,
  isAlias,
  isMap,
  isNode,
  isPair,
  isScalar,
  isSeq,
  LineCounter,
  type Node,
  parseDocument,
  visit,
} from 'yaml';
import type { DiagnosticPath, PlacedProblem, Position } from './diagnostic.ts';
import { MAX_RUNBOOK_BYTES } from './runbook-bytes.ts';
import { explainYamlErrors, findDeepBrackets } from './yaml-errors.ts';
import { findKeyErrors } from './yaml-keys.ts';
import { findTooManyTokens } from './yaml-token-count.ts';

export type { Position } from './diagnostic.ts';

export interface ParsedYaml {
  readonly value: unknown;
  readonly positionOf: (path: DiagnosticPath, atKey?: boolean) => Position;
}

export type YamlResult =
  | { readonly ok: true; readonly yaml: ParsedYaml }
  | {
      readonly ok: false;
      readonly problems: readonly PlacedProblem[];
      /**
       * For YAML that cannot be read (its syntax, a repeated key): the top-level keys read around the mistake, to
       * tell a broken runbook from some other file.
       */
      readonly keys?: readonly string[];
    };

const START: Position = { line: 1, col: 1 };

/** What a runbook starts with: said to a file that is none, which may be anything given by mistake. */
export const RUNBOOK_STARTS = 'a runbook is a YAML mapping that starts with version: 1 and service: …';

const EMPTY = `the file is empty; ${RUNBOOK_STARTS}`;

function fail(message: string, pos: Position = START): YamlResult {
  return { ok: false, problems: [{ path: [], message, pos }] };
}

/** What a file holds that is no mapping, in words that quote none of it (it may be a file of secrets). */
function describeRoot(root: unknown): string {
  if (isSeq(root)) return 'a list';
  if (!isScalar(root)) return 'nothing';
  return typeof root.value === 'string' ? 'text, not YAML keys' : 'a single value, not YAML keys';
}

/**
 * Refuses aliases, reporting the first one only: an alias bomb ("billion laughs") has thousands, and they are
 * never expanded.
 */
function findAliases(doc: Document, at: (offset: number) => Position): PlacedProblem[] {
  let first: { source: string; pos: Position } | undefined;
  let count = 0;
  visit(doc, {
    Alias(_key, node) {
      count++;
      first ??= { source: node.source, pos: at(node.range?.[0] ?? 0) };
      return visit.SKIP;
    },
  });
  if (!first) return [];
  const more = count > 1 ? ` (this file has ${count - 1} more)` : '';
  return [
    {
      path: [],
      pos: first.pos,
      message: `YAML aliases (*${first.source}) are not allowed in runbooks; write the value out in full${more}`,
    },
  ];
}

/** The top-level keys of a document, as far as they could be read (none when it is no mapping). */
function topKeys(doc: Document): string[] {
  const root = doc.contents;
  if (!isMap(root)) return [];
  return root.items.flatMap((pair) => (isScalar(pair.key) ? [String(pair.key.value)] : []));
}

/** The line and column of an offset, counted in the text itself (before the parser has counted lines). */
function textPos(text: string, offset: number): Position {
  const before = text.slice(0, offset);
  const lineStart = before.lastIndexOf('\n') + 1;
  return { line: before.split('\n').length, col: offset - lineStart + 1 };
}

/** Parses YAML text into plain data, with a way to find the position of any path. */
export function readYaml(text: string): YamlResult {
  if (text.length > MAX_RUNBOOK_BYTES)
    return fail('the file is larger than 1 MB; a runbook may be at most 1 MB');
  if (text.trim() === '') return fail(EMPTY);
  const lineCounter = new LineCounter();
  const deep = findDeepBrackets(text, (offset) => textPos(text, offset));
  if (deep) return { ok: false, problems: [deep] };
  const tooMany = findTooManyTokens(text, (offset) => textPos(text, offset));
  if (tooMany) return { ok: false, problems: [tooMany] };
  // Keys are checked in one pass (yaml-keys.ts): the parser's own check takes time in the square of the keys.
  const doc = parseDocument(text, { lineCounter, uniqueKeys: false, prettyErrors: false, version: '1.2' });
  if (doc.errors.length === 0) doc.errors.push(...findKeyErrors(doc));
  const at = (offset: number): Position => lineCounter.linePos(offset);
  if (doc.errors.length > 0)
    return { ok: false, problems: explainYamlErrors(doc, text, at), keys: topKeys(doc) };
  const aliases = findAliases(doc, at);
  if (aliases.length > 0) return { ok: false, problems: aliases };
  const root = doc.contents;
  if (root === null) return fail(EMPTY);
  if (!isMap(root)) {
    return fail(
      `this file is not a runbook: it holds ${describeRoot(root)}; ${RUNBOOK_STARTS}`,
      nodePos(root),
    );
  }
  function nodePos(node: unknown): Position {
    return isNode(node) && node.range ? at(node.range[0]) : START;
  }
  const positionOf = (path: DiagnosticPath, atKey = false): Position => {
    for (let depth = path.length; depth >= 0; depth--) {
      const prefix = path.slice(0, depth);
      if (atKey && depth === path.length && depth > 0) {
        const parent = doc.getIn(prefix.slice(0, -1), true);
        const key = prefix[prefix.length - 1];
        if (isMap(parent)) {
          const pair = parent.items.find(
            (p) => isPair(p) && isScalar(p.key) && String(p.key.value) === String(key),
          );
          if (pair && isNode(pair.key)) return nodePos(pair.key);
        }
        // The "key" of a list item is the item itself.
        if (isSeq(parent) && typeof key === 'number' && isNode(parent.items[key])) {
          return nodePos(parent.items[key]);
        }
        continue;
      }
      const node = depth === 0 ? doc.contents : doc.getIn(prefix, true);
      if (isNode(node) && !isAlias(node)) return nodePos(node as Node);
    }
    return START;
  };
  return { ok: true, yaml: { value: doc.toJS({ maxAliasCount: 0 }), positionOf } };
}
