/**
 * Preflight's light markup (`*bold*`, `` `code` ``, fenced blocks, `@{person}` already expanded to `<@U…>`) as
 * Slack mrkdwn: `&`, `<` and `>` escaped everywhere except in user and channel mentions, Markdown habits
 * (`**bold**`, `~~strike~~`, `[label](url)`, fence languages) turned into their Slack forms, outside text (its
 * literal spans) shown as written, and long text cut into pieces that each fit a section block, with code fences
 * closed and reopened across the cut.
 */
import { convertAroundLiterals } from '../../core/index.ts';
import { escapeSlackLiteral } from './slack-literal.ts';

const FENCE = '```';
/** Mentions Preflight itself writes (via ChatPort.mention) and Slack's own channel links survive escaping. */
const SLACK_TOKEN = /<(?:@[UW][A-Z0-9]+|#[CG][A-Z0-9]+(?:\|[^<>|]*)?)>/g;
const INLINE_CODE = /(`[^`\n]+`)/;

function escapeRaw(text: string): string {
  return text.replaceAll('&', '&amp;').replaceAll('<', '&lt;').replaceAll('>', '&gt;');
}

/** Escapes `&`, `<`, `>` as Slack requires, keeping `<@U…>` and `<#C…>` mentions. */
export function escapeSlackText(text: string): string {
  let out = '';
  let last = 0;
  for (const match of text.matchAll(SLACK_TOKEN)) {
    out += escapeRaw(text.slice(last, match.index)) + match[0];
    last = match.index + match[0].length;
  }
  return out + escapeRaw(text.slice(last));
}

function convertProse(text: string): string {
  return text
    .split(INLINE_CODE)
    .map((part, i) => {
      if (i % 2 === 1) return escapeSlackText(part);
      return escapeSlackText(part)
        .replace(/\*\*(?=\S)([^*\n]+?)\*\*/g, '*$1*')
        .replace(/~~(?=\S)([^~\n]+?)~~/g, '~$1~')
        .replace(/^#{1,6} +(.+)$/gm, '*$1*')
        .replace(/\[([^\]\n]+)\]\((https?:\/\/[^\s)]+)\)/g, (_all, label: string, url: string) => {
          return `<${url.replaceAll('|', '%7C')}|${label.replaceAll('|', '¦')}>`;
        });
    })
    .join('');
}

/** Converts Preflight markup to Slack mrkdwn; outside text is only escaped, never read as markup. */
export function toSlackMrkdwn(text: string): string {
  return convertAroundLiterals(text, convertMarkup, escapeSlackLiteral);
}

function convertMarkup(text: string): string {
  const parts = text.split(FENCE);
  return parts
    .map((part, i) => {
      if (i % 2 === 0) return convertProse(part);
      // Slack shows a fence's language word as code, so it is dropped: ```yaml\n → ```\n
      const body = /^[A-Za-z0-9_+-]*\n/.test(part) ? part.slice(part.indexOf('\n')) : part;
      return escapeSlackText(body);
    })
    .join(FENCE);
}

function countFences(line: string): number {
  return line.split(FENCE).length - 1;
}

/** Hard-splits a line longer than `max` (no newline to cut at), keeping surrogate pairs whole. */
function splitLongLine(line: string, max: number): string[] {
  const pieces: string[] = [];
  let rest = line;
  while (rest.length > max) {
    let cut = max;
    const code = rest.charCodeAt(cut - 1);
    if (code >= 0xd800 && code <= 0xdbff) cut--;
    // Never cut inside an escape such as &amp;, nor inside a token such as <@U…> or <!date^…|*>
    const amp = rest.lastIndexOf('&', cut - 1);
    if (amp > cut - 6 && !rest.slice(amp, cut).includes(';')) cut = amp > 0 ? amp : cut;
    const open = rest.lastIndexOf('<', cut - 1);
    if (open > 0 && !rest.slice(open, cut).includes('>')) cut = open;
    pieces.push(rest.slice(0, cut));
    rest = rest.slice(cut);
  }
  pieces.push(rest);
  return pieces;
}

/**
 * Cuts mrkdwn into pieces of at most `limit` characters, at line ends where it can. A piece that ends inside a
 * code block closes it and the next piece reopens it, so each piece renders on its own.
 */
export function chunkMrkdwn(text: string, limit: number): string[] {
  if (text.length <= limit) return [text];
  const room = limit - 2 * (FENCE.length + 1);
  const chunks: string[] = [];
  let current = '';
  let open = false;
  let started = false;
  for (const line of text.split('\n').flatMap((l) => splitLongLine(l, room))) {
    const candidate = started ? `${current}\n${line}` : line;
    const openAfter: boolean = countFences(line) % 2 === 1 ? !open : open;
    if (started && candidate.length + (openAfter ? FENCE.length + 1 : 0) > limit) {
      chunks.push(open ? `${current}\n${FENCE}` : current);
      current = open ? `${FENCE}\n${line}` : line;
    } else {
      current = candidate;
    }
    started = true;
    open = openAfter;
  }
  chunks.push(current);
  return chunks.filter((c) => c.trim() !== '' && c !== `${FENCE}\n${FENCE}`);
}
