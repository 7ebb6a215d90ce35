/** Plain-language rewrites of the YAML parser's own messages, for errors it already places well. */

interface Rewrite {
  readonly match: RegExp;
  readonly message: (match: RegExpExecArray) => string;
  /** Point at the first non-blank character of the line rather than where the parser stopped. */
  readonly atIndent?: boolean;
}

/** A rewritten message, and whether to point at the line's indentation. */
export interface RewrittenYamlMessage {
  readonly message: string;
  readonly atIndent: boolean;
}

const TOKENS: Record<string, string> = {
  'flow-map-start': '{',
  'flow-map-end': '}',
  'flow-seq-start': '[',
  'flow-seq-end': ']',
};

const OPENERS: Record<string, string> = { '}': '{', ']': '[' };

const REWRITES: readonly Rewrite[] = [
  {
    match: /^All mapping items must start at the same column/,
    atIndent: true,
    message: () =>
      'bad indentation: keys of one mapping must start in the same column; line this key up with the keys above it',
  },
  {
    match: /^All sequence items must start at the same column/,
    atIndent: true,
    message: () =>
      'bad indentation: items of one list must start in the same column; line this "- " up with the items above it',
  },
  {
    match: /^Sequence item without - indicator/,
    atIndent: true,
    message: () =>
      'bad indentation: this line does not line up with the lines above it; keys of one mapping start in the same column, list items start with "- "',
  },
  {
    match: /^Block scalar lines must not be less indented/,
    atIndent: true,
    message: () =>
      'bad indentation: each line of a "|" or ">" block of text must be indented at least as much as its first line',
  },
  {
    match: /^Tabs are not allowed as indentation/,
    message: () => 'tabs cannot indent YAML; indent with spaces',
  },
  {
    match: /^Plain value cannot start with .* (\S)$/,
    message: (m) => `a value cannot start with "${m[1]}"; put the whole value in quotes`,
  },
  {
    match: /^Block scalar header includes extra characters/,
    message: () =>
      'after "|" or ">" (a block of text) the rest of the line must be empty; to start a value with ">" or "|", put it in quotes',
  },
  {
    match: /^Comments must be separated from other tokens by white space/,
    message: () => 'a "#" comment needs a space before it; put the value in quotes if "#" is part of it',
  },
  {
    match: /^Implicit map keys need to be followed by map values/,
    message: () => 'this line has no ":" after its key; write it as key: value',
  },
  {
    match: /^Missing , (?:or : )?between flow (map|sequence) items/,
    message: (m) =>
      `a "," is missing between two items of this ${m[1] === 'map' ? '{ } mapping' : '[ ] list'}`,
  },
  {
    match: /^Block collections are not allowed within flow collections/,
    message: () =>
      'inside { } or [ ], items are separated by "," (is one missing?) and lines cannot start with "- "',
  },
  {
    match: /^Unexpected block-seq-ind on same line with key/,
    message: () =>
      'a list item ("- ") cannot start on the line of its key; move it to the next line and indent it',
  },
  {
    match: /^Unexpected (flow-map-end|flow-seq-end) token/,
    message: (m) => {
      const close = TOKENS[m[1] ?? ''] ?? '}';
      return `unexpected "${close}": nothing is open for it to close; remove it, or add the "${OPENERS[close]}" it closes`;
    },
  },
  {
    match: /^Unexpected (flow-map-start|flow-seq-start)/,
    message: (m) =>
      `unexpected "${TOKENS[m[1] ?? ''] ?? '{'}" after a complete value; is a "," missing before it?`,
  },
  {
    match: /^Unexpected scalar/,
    message: () =>
      'unexpected text after a complete value; if it belongs to the value, put the whole value in quotes (or is a "," missing?)',
  },
  {
    match: /^Source contains multiple documents/,
    message: () =>
      'a runbook file holds one YAML document; remove the "---" line, or put each runbook in its own file',
  },
];

/** The plain-language version of a YAML parser message (its first line), if there is one. */
export function rewriteYamlMessage(text: string): RewrittenYamlMessage | undefined {
  for (const rewrite of REWRITES) {
    const match = rewrite.match.exec(text);
    if (match) return { message: rewrite.message(match), atIndent: rewrite.atIndent === true };
  }
  return undefined;
}

const CODE_WORDS: Readonly<Record<string, string>> = {
  BAD_ALIAS: 'an alias (*name) is not valid here',
  BAD_COLLECTION_TYPE: 'a key is a list or a mapping, not a word',
  BAD_DIRECTIVE: 'a "%" directive is not valid here',
  BAD_DQ_ESCAPE: 'a "\\" escape in a double-quoted value is not valid',
  BAD_INDENT: 'the indentation is not valid here',
  BAD_PROP_ORDER: 'an anchor (&) or tag (!) is misplaced here',
  BAD_SCALAR_START: 'a value starts with a character YAML reserves',
  BLOCK_IN_FLOW: 'inside { } or [ ], lines cannot start with "- "',
  KEY_OVER_1024_CHARS: 'a key is longer than 1024 characters',
  MISSING_CHAR: 'a closing character (a quote, "]" or "}") is missing',
  MULTIPLE_ANCHORS: 'a value has more than one anchor (&)',
  MULTIPLE_DOCS: 'the file holds more than one YAML document',
  MULTIPLE_TAGS: 'a value has more than one tag (!)',
  TAB_AS_INDENT: 'a tab indents a line',
  TAG_RESOLVE_FAILED: 'a tag (!) YAML does not know',
  UNEXPECTED_TOKEN: 'something unexpected follows a complete value',
};

/** What a YAML error code means, in words that quote nothing of the file (the parser's own message may). */
export function describeYamlErrorCode(code: string): string {
  return CODE_WORDS[code] ?? 'the YAML is not valid here';
}
