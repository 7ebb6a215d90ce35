/**
 * A ChatMessage as a Discord message: Markdown content within Discord's 2,000 characters (longer text is cut at
 * a line with a note and attached whole as a file, never dropped), buttons as message components (5 per row,
 * 5 rows, custom ids and labels within Discord's limits), and mentions limited to the users named.
 */
import type { APIActionRowComponent, APIButtonComponentWithCustomId } from 'discord.js';
import {
  type ButtonAction,
  type ChatButton,
  type ChatMessage,
  convertAroundLiterals,
  plainLiterals,
  THING_OF_MESSAGE,
} from '../../core/index.ts';
import { escapeDiscordLiteral } from './discord-literal.ts';

export const CONTENT_LIMIT = 2_000;
const CUSTOM_ID_LIMIT = 100;
const LABEL_LIMIT = 80;
const BUTTONS_PER_ROW = 5;
const MAX_ROWS = 5;
const FENCE = '```';
/** Separates a button's action from its value in the custom id: `gate.approve|toy-1:security`. */
export const CUSTOM_ID_SEPARATOR = '|';

export interface DiscordFile {
  readonly name: string;
  readonly data: Buffer;
}

export interface DiscordMessage {
  readonly body: {
    readonly content: string;
    readonly components: APIActionRowComponent<APIButtonComponentWithCustomId>[];
    readonly allowed_mentions: AllowedMentions;
  };
  readonly files: readonly DiscordFile[];
}

/**
 * Who a message may ping: only the users Preflight itself mentions. Discord pings a `<@id>` wherever it stands in
 * the content (in a code block, after a backslash), so what the content holds otherwise never decides it.
 */
export interface AllowedMentions {
  readonly parse: readonly [];
  readonly users: readonly string[];
}

/** Discord's limit on the users a message may ping by id. */
const PINGED_USERS_LIMIT = 100;

/**
 * The mentions to allow for chat text (its people already written as `<@id>`): the users Preflight mentions in its
 * own words. A mention in outside text (a literal span) or in code (a step's output) is none it made.
 */
export function allowedMentions(text: string): AllowedMentions {
  const own = convertAroundLiterals(
    text,
    (part) => part,
    () => ' ',
  )
    .split(FENCE)
    .filter((_part, i) => i % 2 === 0)
    .join('\n')
    .replace(/`[^`\n]+`/g, '');
  const users = new Set([...own.matchAll(/<@!?(\d+)>/g)].map((m) => m[1] ?? ''));
  return { parse: [], users: [...users].slice(0, PINGED_USERS_LIMIT) };
}

/**
 * Preflight's `*bold*` is Discord's `**bold**`; code spans and fences stay as they are; outside text (its literal
 * spans) is escaped, never read as markup.
 */
export function toDiscordMarkdown(text: string): string {
  return convertAroundLiterals(text, convertMarkup, escapeDiscordLiteral);
}

function convertMarkup(text: string): string {
  return text
    .split(FENCE)
    .map((part, i) =>
      i % 2 === 1
        ? part
        : part
            .split(/(`[^`\n]+`)/)
            .map((piece, j) =>
              j % 2 === 1 ? piece : piece.replace(/(^|[^*\w])\*(?=\S)([^*\n]+?)\*(?![*\w])/g, '$1**$2**'),
            )
            .join(''),
    )
    .join(FENCE);
}

/** Cuts text to fit `limit` at a line break, closing a code block left open; returns undefined when it fits. */
function cutToFit(text: string, limit: number, note: string): string | undefined {
  if (text.length <= limit) return undefined;
  const room = limit - note.length - FENCE.length - 2;
  const lineEnd = text.lastIndexOf('\n', room);
  // Cut within a line: between characters, never through an emoji's surrogate pair.
  const within = /[\uD800-\uDBFF]/.test(text[room - 1] ?? '') ? room - 1 : room;
  let head = text.slice(0, lineEnd > room / 2 ? lineEnd : within);
  if ((head.split(FENCE).length - 1) % 2 === 1) head += `\n${FENCE}`;
  return `${head}\n${note}`;
}

const cut = (s: string, max: number) => (s.length > max ? `${s.slice(0, max - 1)}…` : s);

/**
 * The custom id of a button: action and value, within Discord's 100 characters. A value too long for them (a long
 * service name and a long gate or item id) keeps its deployment's id and names its prompt by the message it is on
 * (THING_OF_MESSAGE): cut short, it would name another prompt, or none, and the press would be refused.
 */
export function customIdOf(button: Pick<ChatButton, 'action' | 'value'>): string {
  const whole = `${button.action}${CUSTOM_ID_SEPARATOR}${button.value}`;
  if (whole.length <= CUSTOM_ID_LIMIT) return whole;
  const subject = button.value.split(':')[0] ?? '';
  return `${button.action}${CUSTOM_ID_SEPARATOR}${subject}:${THING_OF_MESSAGE}`.slice(0, CUSTOM_ID_LIMIT);
}

/** The action and value a clicked button carries back, or undefined for another app's id. */
export function parseCustomId(id: string): { action: string; value: string } | undefined {
  const at = id.indexOf(CUSTOM_ID_SEPARATOR);
  if (at <= 0) return undefined;
  return { action: id.slice(0, at), value: id.slice(at + 1) };
}

function rowsOf(buttons: readonly ChatButton[]): DiscordMessage['body']['components'] {
  const seen = new Set<string>();
  const components = buttons
    .filter((b) => {
      const id = customIdOf(b);
      if (seen.has(id)) return false; // custom ids must differ within a message
      seen.add(id);
      return true;
    })
    .slice(0, BUTTONS_PER_ROW * MAX_ROWS)
    .map(
      (b): APIButtonComponentWithCustomId => ({
        type: 2,
        style: b.style === 'primary' ? 1 : b.style === 'danger' ? 4 : 2,
        label: cut(b.label, LABEL_LIMIT),
        custom_id: customIdOf(b),
      }),
    );
  const rows: DiscordMessage['body']['components'] = [];
  for (let i = 0; i < components.length; i += BUTTONS_PER_ROW)
    rows.push({ type: 1, components: components.slice(i, i + BUTTONS_PER_ROW) });
  return rows;
}

/** Builds the message; `action` names are kept as they are, so a click maps back to the same ButtonAction. */
export function buildDiscordMessage(message: ChatMessage, fileBase = 'message'): DiscordMessage {
  const text = toDiscordMarkdown(message.text);
  const files: DiscordFile[] = [];
  const whole = `${fileBase}.txt`;
  const shortened = cutToFit(text, CONTENT_LIMIT, `… (the whole text is attached as ${whole})`);
  if (shortened !== undefined)
    files.push({ name: whole, data: Buffer.from(plainLiterals(message.text), 'utf8') });
  if (message.attachment)
    files.push({ name: message.attachment.name, data: Buffer.from(message.attachment.content, 'utf8') });
  if (message.image) files.push({ name: message.image.name, data: Buffer.from(message.image.png) });
  return {
    body: {
      content: shortened ?? text,
      components: rowsOf(message.buttons ?? []),
      allowed_mentions: allowedMentions(message.text),
    },
    files,
  };
}

/** The file a long interaction answer comes whole in. */
export const ANSWER_FILE = 'answer.txt';

/**
 * An interaction answer: Markdown within Discord's 2,000 characters; longer text is cut at a line with a note and
 * attached whole as a file, as a post is (a whole runbook's plan is longer than one message).
 */
export function answerMessage(text: string): { content: string; files: DiscordFile[] } {
  const markdown = toDiscordMarkdown(text);
  const shortened = cutToFit(markdown, CONTENT_LIMIT, `… (the whole answer is attached as ${ANSWER_FILE})`);
  if (shortened === undefined) return { content: markdown, files: [] };
  return {
    content: shortened,
    files: [{ name: ANSWER_FILE, data: Buffer.from(plainLiterals(text), 'utf8') }],
  };
}

/**
 * Text for a message that carries no file (a direct message or a note in a channel): cut with a note to `room`
 * characters (a whole message's, or what is left of one around Preflight's own words).
 */
export function answerText(text: string, room = CONTENT_LIMIT): string {
  const markdown = toDiscordMarkdown(text);
  return cutToFit(markdown, room, '… (cut: the rest did not fit in one Discord message)') ?? markdown;
}

export type { ButtonAction };
