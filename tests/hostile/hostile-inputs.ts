/** The hostile inputs: runbook mutations, chat command words, Slack requests and HTTP requests. */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseDocument } from 'yaml';
import { repoRoot } from '../helpers/load-runbook.ts';

/** What a stack trace or a raw exception looks like in a text shown to a person. */
export const STACK =
  /\n\s+at .*(?:\.[cm]?[jt]s|node:[\w/]+):\d+:\d+|node:internal|\.ts:\d+:\d+|\bTypeError\b|\bReferenceError\b/;

/** Words no command should ever trust: shell and template injection, mentions, paths, control characters. */
export const INJECTIONS = [
  '$(rm -rf /)',
  '; rm -rf / #',
  '`id`',
  '<!channel>',
  '<@U0ALICE01>',
  '../../etc/passwd',
  'a%00b',
  '{{7*7}}',
  "' OR 1=1 --",
  '$' + '{PATH}',
  'line\nbreak',
];
/** Quotes, look-alike letters and digits, emoji, bidirectional and zero-width characters. */
export const ODD_WORDS = [
  '"toy"',
  "'v1.2.3'",
  '“v1.2.3”',
  't\u043ey',
  'v\uff11.\uff12.\uff13',
  '🚀',
  'v1.2.3🔥',
  'v1\u202e3.2.1',
  'to\u200by',
  '',
];

/** Every command name, with a plausible set of good words to mutate. */
export const COMMANDS: readonly [string, readonly string[]][] = [
  ['deploy start', ['toy', 'v1.2.3', 'staging']],
  ['deploy status', ['toy-1']],
  ['deploy plan', ['toy']],
  ['deploy abort', ['toy-1', 'because']],
  ['deploy pause', ['toy-1']],
  ['deploy resume', ['toy-1']],
  ['deploy decide', ['retry', 'toy-1']],
  ['deploy history', ['toy']],
  ['deploy lock', ['toy', 'staging', 'maintenance']],
  ['deploy unlock', ['toy', 'staging']],
  ['rollback', ['toy-1']],
  ['ack', ['INC-1']],
  ['incident open', ['toy', 'it', 'broke']],
  ['incident status', ['INC-1']],
  ['incident resolve', ['INC-1', 'fixed']],
  ['oncall', ['toy']],
  ['deploy help', []],
];

export interface CommandCase {
  readonly text: string;
  readonly what: string;
  /** The reply must say this (a length problem names the length). */
  readonly expect?: RegExp;
}

/** Wrong arity, wrong types, injections, long words, quotes, look-alikes and emoji for every command. */
export function commandCases(): CommandCase[] {
  const cases: CommandCase[] = [];
  const long = 'x'.repeat(5000);
  for (const [name, good] of COMMANDS) {
    const at = (i: number, word: string) => good.map((w, j) => (j === i ? word : w)).join(' ');
    cases.push({ text: `/${name}`, what: `${name}: no words` });
    cases.push({
      text: `/${name} ${[...good, ...good, 'a', 'b', 'c'].join(' ')}`,
      what: `${name}: too many words`,
    });
    if (name !== 'deploy help')
      cases.push({
        text: `/${name} ${long}`,
        what: `${name}: a 5,000-character word`,
        // Not a length problem for a word that must be one of a few: it is none of them.
        expect:
          name === 'deploy decide' ? /choose retry, skip, rollback or run/ : /5,000 characters; at most \d+/,
      });
    cases.push({ text: `/${name} ${good.join(' ')} --nope`, what: `${name}: an unknown option` });
    cases.push({ text: `/${name} 42 -1 3.5`, what: `${name}: numbers` });
    for (const word of [...INJECTIONS, ...ODD_WORDS])
      cases.push({ text: `/${name} ${at(0, word)}`, what: `${name}: ${JSON.stringify(word)} first` });
    if (good.length > 1)
      for (const word of INJECTIONS.slice(0, 4))
        cases.push({ text: `/${name} ${at(1, word)}`, what: `${name}: ${JSON.stringify(word)} second` });
  }
  for (const text of [
    '/incident',
    '/deploy',
    '/d\u0435ploy start toy v1.2.3',
    '/deploy strat',
    '/frobnicate',
    '/🚀',
    '/',
    '',
  ])
    cases.push({ text, what: `unknown or partial: ${JSON.stringify(text)}` });
  return cases;
}

export interface RunbookCase {
  readonly what: string;
  readonly bytes: Uint8Array;
}

/** Seeded so a failure can be replayed. */
function random(seed: number): () => number {
  let s = seed;
  return () => {
    s = (s * 1103515245 + 12345) % 2 ** 31;
    return s / 2 ** 31;
  };
}

/** Mutations of runbook.yaml and the sandbox runbook: keys removed or of the wrong type, cut files, odd bytes. */
export function runbookCases(seed: number): RunbookCase[] {
  const cases: RunbookCase[] = [];
  const next = random(seed);
  const encode = (text: string) => new TextEncoder().encode(text);
  for (const file of ['runbook.yaml', 'examples/sandbox/runbook.yaml']) {
    const text = readFileSync(join(repoRoot, file), 'utf8');
    const keys = Object.keys(parseDocument(text).toJS() as object);
    for (const key of keys) {
      for (const [label, value] of [
        ['removed', undefined],
        ['a number', 42],
        ['a string', 'x'],
        ['a list', [1, 2]],
        ['null', null],
      ] as const) {
        const doc = parseDocument(text);
        if (value === undefined) doc.delete(key);
        else doc.set(key, value);
        cases.push({ what: `${file}: ${key} ${label}`, bytes: encode(doc.toString()) });
      }
    }
    for (const path of [
      ['steps', 0, 'timeout'],
      ['steps', 0, 'at'],
      ['steps', 0, 'needs'],
      ['steps', 0, 'id'],
      ['gates'],
      ['escalation', 'levels', 0, 'respond_within'],
    ]) {
      for (const value of ['-5m', 'soon', 10 ** 12, '', { a: 1 }]) {
        const doc = parseDocument(text);
        doc.setIn(path, value);
        cases.push({
          what: `${file}: ${path.join('.')} = ${JSON.stringify(value)}`,
          bytes: encode(doc.toString()),
        });
      }
    }
    for (let i = 0; i < 8; i++) {
      const cut = Math.floor(next() * text.length);
      cases.push({ what: `${file}: cut at byte ${cut}`, bytes: encode(text.slice(0, cut)) });
    }
    cases.push({ what: `${file}: a tab indent`, bytes: encode(text.replace(/\n {2}/, '\n\t')) });
    cases.push({ what: `${file}: a NUL byte`, bytes: encode(text.replace('\n', '\n\u0000')) });
    cases.push({ what: `${file}: a duplicate key`, bytes: encode(`service: other\n${text}`) });
    cases.push({
      what: `${file}: an alias bomb`,
      bytes: encode(`a: &a [x, x]\nb: &b [*a, *a]\nc: [*b, *b]\n${text}`),
    });
    cases.push({
      what: `${file}: invalid UTF-8`,
      bytes: new Uint8Array([...encode(text.slice(0, 50)), 0xff, 0xfe]),
    });
    cases.push({ what: `${file}: 2 MB`, bytes: encode(`${text}\n# ${'x'.repeat(2 * 1024 * 1024)}\n`) });
  }
  cases.push({ what: 'empty file', bytes: new Uint8Array() });
  cases.push({ what: 'a list', bytes: encode('- 1\n- 2\n') });
  return cases;
}
