/** The console's input grammar: what one typed or scripted line means. Pure; `console-input.ts` acts on it. */
import { DEPLOYMENT_ID } from '../../commands/find-deployment.ts';
import { DEPLOYMENT_STATES, type DeploymentState, parseDuration } from '../../core/index.ts';
import { readEmoji } from './console-emoji.ts';

/** A message: by id (`m7`), or by deployment and topic key (`toy-1/gate:security`, `last/status`). */
export type MessageTarget =
  | { readonly kind: 'id'; readonly id: string }
  | { readonly kind: 'topic'; readonly deployment: string; readonly key: string };

interface Acting {
  /** The person acting (`@bob …`); the console's current person when absent. */
  readonly user?: string;
  /** The line without its `@name` prefix. */
  readonly said: string;
}

/** One line of console input, read. */
export type ConsoleLine =
  | { readonly kind: 'blank' }
  | { readonly kind: 'narration'; readonly text: string }
  | { readonly kind: 'help' }
  | { readonly kind: 'as'; readonly user: string }
  | { readonly kind: 'sleep'; readonly ms: number }
  | {
      readonly kind: 'wait';
      readonly deployment: string;
      readonly states: readonly DeploymentState[];
      readonly timeoutMs: number;
    }
  | { readonly kind: 'wait-message'; readonly target: MessageTarget; readonly timeoutMs: number }
  | (Acting & { readonly kind: 'command'; readonly text: string })
  | (Acting & {
      readonly kind: 'reaction';
      readonly target: MessageTarget;
      readonly emoji: string;
      readonly added: boolean;
    })
  | (Acting & { readonly kind: 'click'; readonly target: MessageTarget; readonly label: string })
  | (Acting & { readonly kind: 'reply'; readonly target: MessageTarget; readonly text: string })
  | { readonly kind: 'invalid'; readonly message: string };

/** How long `wait` waits when the line names no timeout. */
export const DEFAULT_WAIT_MS = 60_000;
const PERSON = /^[A-Za-z0-9][A-Za-z0-9_.-]*$/;
const MESSAGE_ID = /^m\d+$/;
const INCIDENT_ID = /^INC-\d+$/;
const TOPIC_KEY = /^[a-z][a-z-]*(?::[A-Za-z0-9_.:@-]+)?$/;
const USAGE = {
  react: 'react <message> <emoji>, e.g. react m7 ✅',
  unreact: 'unreact <message> <emoji>, e.g. unreact m7 ✅',
  click: 'click <message> <button label>, e.g. click m7 approve',
  reply: 'reply <message> <text>, e.g. reply m7 the reason',
  wait: 'wait <deployment|last> <state>[|<state>…] [timeout], e.g. wait last monitoring 60s; or wait <message> [timeout], e.g. wait INC-1/page:1:0',
  sleep: 'sleep <duration>, e.g. sleep 2s',
  as: 'as <person>, e.g. as bob',
} as const;

const invalid = (message: string): ConsoleLine => ({ kind: 'invalid', message });
const usage = (verb: keyof typeof USAGE): ConsoleLine => invalid(`usage: ${USAGE[verb]}`);

function readTarget(word: string): MessageTarget | string {
  if (MESSAGE_ID.test(word)) return { kind: 'id', id: word };
  const slash = word.indexOf('/');
  const deployment = word.slice(0, slash);
  const key = word.slice(slash + 1);
  const owner = deployment === 'last' || DEPLOYMENT_ID.test(deployment) || INCIDENT_ID.test(deployment);
  if (slash > 0 && owner && TOPIC_KEY.test(key)) return { kind: 'topic', deployment, key };
  return `"${word}" is not a message: use an id such as m7, or <deployment>/<key> such as toy-1/gate:security`;
}

function readWaitForMessage(words: readonly string[]): ConsoleLine {
  const [ref = '', timeout, ...extra] = words;
  if (extra.length > 0) return usage('wait');
  const target = readTarget(ref);
  if (typeof target === 'string') return invalid(target);
  const timeoutMs = timeout === undefined ? DEFAULT_WAIT_MS : parseDuration(timeout);
  if (timeoutMs === undefined) return invalid(`"${timeout}" is not a duration (e.g. 30s, 2m, 500ms)`);
  return { kind: 'wait-message', target, timeoutMs };
}

function readWait(words: readonly string[]): ConsoleLine {
  if (words[0]?.includes('/')) return readWaitForMessage(words);
  const [deployment, states, timeout, ...extra] = words;
  if (deployment === undefined || states === undefined || extra.length > 0) return usage('wait');
  if (deployment !== 'last' && !DEPLOYMENT_ID.test(deployment))
    return invalid(`"${deployment}" is not a deployment id (such as toy-1) or "last"`);
  const wanted = states.split('|');
  const unknown = wanted.find((s) => !(DEPLOYMENT_STATES as readonly string[]).includes(s));
  if (unknown !== undefined)
    return invalid(`"${unknown}" is not a deployment state; states: ${DEPLOYMENT_STATES.join(', ')}`);
  const timeoutMs = timeout === undefined ? DEFAULT_WAIT_MS : parseDuration(timeout);
  if (timeoutMs === undefined) return invalid(`"${timeout}" is not a duration (e.g. 30s, 2m, 500ms)`);
  return { kind: 'wait', deployment, states: wanted as DeploymentState[], timeoutMs };
}

function readActing(user: string | undefined, said: string): ConsoleLine {
  const acting = { ...(user !== undefined && { user }), said };
  if (said.startsWith('/')) return { ...acting, kind: 'command', text: said };
  const [verb = '', ref, ...rest] = said.split(/\s+/);
  if (verb !== 'react' && verb !== 'unreact' && verb !== 'click' && verb !== 'reply')
    return invalid(
      user !== undefined
        ? `cannot read "${said}": after @${user} comes a /command, react, unreact, click or reply`
        : `cannot read "${said}": a line is a /command, react, unreact, click, reply, wait, sleep, as, help or a # note`,
    );
  if (ref === undefined || rest.length === 0) return usage(verb);
  const target = readTarget(ref);
  if (typeof target === 'string') return invalid(target);
  if (verb === 'click') return { ...acting, kind: 'click', target, label: rest.join(' ') };
  if (verb === 'reply')
    return { ...acting, kind: 'reply', target, text: said.split(/\s+/).slice(2).join(' ') };
  if (rest.length > 1) return usage(verb);
  const emoji = readEmoji(rest[0] ?? '');
  if (emoji === undefined)
    return invalid(
      `"${rest[0]}" is not an emoji Preflight reads: use ✅ (white_check_mark), ❌ (x), 🔄 (arrows_counterclockwise), 👀 (eyes) or a name like :tada:`,
    );
  return { ...acting, kind: 'reaction', target, emoji, added: verb === 'react' };
}

/** Reads one line of console input. */
export function parseConsoleLine(line: string): ConsoleLine {
  const text = line.trim();
  if (text === '') return { kind: 'blank' };
  if (text.startsWith('#')) return { kind: 'narration', text };
  const [first = '', ...words] = text.split(/\s+/);
  if (first.startsWith('@')) {
    const user = first.slice(1);
    if (!PERSON.test(user))
      return invalid(`"${first}" is not a person: write @ and a person id, e.g. @alice /deploy status`);
    const said = text.slice(first.length).trim();
    if (said === '')
      return invalid(`say what ${user} does: @${user} /command, react, unreact, click or reply`);
    return readActing(user, said);
  }
  switch (first) {
    case 'help':
      return { kind: 'help' };
    case 'as':
      return words.length === 1 && PERSON.test(words[0] ?? '')
        ? { kind: 'as', user: words[0] ?? '' }
        : usage('as');
    case 'sleep': {
      const ms = words.length === 1 ? parseDuration(words[0] ?? '') : undefined;
      return ms === undefined ? usage('sleep') : { kind: 'sleep', ms };
    }
    case 'wait':
      return readWait(words);
    default:
      return readActing(undefined, text);
  }
}

/** The grammar, for `help`. */
export function describeConsoleGrammar(user: string): string {
  const rows: readonly (readonly [string, string])[] = [
    ['[@name] /<command> …', 'a chat command, e.g. @alice /deploy start toy v1.3.0'],
    ['[@name] react <message> <emoji>', 'e.g. react m7 ✅ (also ❌ 🔄 👀, or white_check_mark, :x:, …)'],
    ['[@name] unreact <message> <emoji>', 'removes a reaction; removing ✅ withdraws an approval'],
    ['[@name] click <message> <label>', 'presses a button by its label, e.g. click m7 approve'],
    ['[@name] reply <message> <text>', "writes in the message's thread, e.g. a rejection reason"],
    ['as <person>', 'type as someone else from now on'],
    ['wait <deployment|last> <state>[|<state>…] [timeout]', 'e.g. wait last monitoring 60s (default 60s)'],
    [
      'wait <message> [timeout]',
      'until that message is posted, e.g. wait INC-1/page:1:0 (the L2 page of INC-1)',
    ],
    ['sleep <duration>', 'e.g. sleep 2s'],
    ['# <text>', 'narration, printed as it is'],
    ['help', 'this text'],
  ];
  const width = Math.max(...rows.map(([syntax]) => syntax.length));
  return [
    `Console grammar, one line at a time. You type as @${user}; start a line with @name to act as another person.`,
    ...rows.map(([syntax, what]) => `  ${syntax.padEnd(width)}  ${what}`),
    'A <message> is an id such as m7, or <deployment>/<key> such as toy-1/gate:security, toy-1/status or',
    'last/checklist-item:release-notes ("last": the deployment last started here); those wait until it is posted.',
  ].join('\n');
}
