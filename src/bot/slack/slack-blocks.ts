/**
 * A ChatMessage as a Slack message: mrkdwn sections (each within Slack's 3,000-character limit), one actions
 * block per 25 buttons, a plain `text` for notifications, and the files to upload: the message's attachment,
 * plus the whole text when it is too long to read inline. Nothing is cut without saying so.
 */
import type { types } from '@slack/bolt';
import { type ButtonAction, type ChatButton, type ChatMessage, plainLiterals } from '../../core/index.ts';
import { chunkMrkdwn, toSlackMrkdwn } from './slack-mrkdwn.ts';

/** Slack's limit for a section's text. */
export const SECTION_LIMIT = 3_000;
const BUTTONS_PER_BLOCK = 25;
const BUTTON_LABEL_LIMIT = 75;
const NOTIFICATION_LIMIT = 3_000;
/** Longer text goes into a file: a thread is for reading, not scrolling. */
export const INLINE_LIMIT = 12_000;
/** Slack allows 50 blocks; a reply (no file possible) keeps room for the buttons and the note. */
const MAX_SECTIONS = 45;
/** Separates an action from its index when a message has the same action twice (action ids must differ). */
export const ACTION_INDEX_SEPARATOR = '#';

export type SlackBlock = types.SectionBlock | types.ActionsBlock | types.ContextBlock;

export interface SlackFile {
  readonly name: string;
  /** Text content, or the bytes of a binary file (an image). */
  readonly content: string | Uint8Array;
  readonly alt?: string;
}

export interface SlackMessage {
  readonly text: string;
  readonly blocks: readonly SlackBlock[];
  /** Files to upload into the message's thread. */
  readonly files: readonly SlackFile[];
}

export interface BuildOptions {
  /** `file`: overlong text goes into a file (posts). `cut`: it is cut with a visible note (replies, edits). */
  readonly overflow: 'file' | 'cut';
}

function section(text: string): types.SectionBlock {
  return { type: 'section', text: { type: 'mrkdwn', text } };
}

function button(b: ChatButton, actionId: string): types.Button {
  const label =
    b.label.length > BUTTON_LABEL_LIMIT ? `${b.label.slice(0, BUTTON_LABEL_LIMIT - 1)}…` : b.label;
  return {
    type: 'button',
    action_id: actionId,
    text: { type: 'plain_text', text: label, emoji: true },
    value: b.value,
    ...(b.style && { style: b.style }),
  };
}

function actionBlocks(buttons: readonly ChatButton[]): types.ActionsBlock[] {
  const seen = new Map<ButtonAction, number>();
  const elements = buttons.map((b) => {
    const n = seen.get(b.action) ?? 0;
    seen.set(b.action, n + 1);
    return button(b, n === 0 ? b.action : `${b.action}${ACTION_INDEX_SEPARATOR}${n}`);
  });
  const blocks: types.ActionsBlock[] = [];
  for (let i = 0; i < elements.length; i += BUTTONS_PER_BLOCK) {
    blocks.push({
      type: 'actions',
      block_id: `preflight.actions.${i / BUTTONS_PER_BLOCK}`,
      elements: elements.slice(i, i + BUTTONS_PER_BLOCK),
    });
  }
  return blocks;
}

function fitInline(chunks: readonly string[], budget: number): string[] {
  const kept: string[] = [];
  let used = 0;
  for (const chunk of chunks) {
    if (used + chunk.length > budget || kept.length >= MAX_SECTIONS) break;
    kept.push(chunk);
    used += chunk.length;
  }
  return kept;
}

/** The notification text: the first lines of the message, marked when it goes on. */
function notificationText(mrkdwn: string): string {
  if (mrkdwn.length <= NOTIFICATION_LIMIT) return mrkdwn;
  const cut = mrkdwn.lastIndexOf('\n', NOTIFICATION_LIMIT - 2);
  return `${mrkdwn.slice(0, cut > 0 ? cut : NOTIFICATION_LIMIT - 2)}\n…`;
}

/** Builds the Slack form of a message. */
export function buildSlackMessage(message: ChatMessage, options: BuildOptions): SlackMessage {
  const mrkdwn = toSlackMrkdwn(message.text);
  const chunks = mrkdwn.trim() === '' ? [] : chunkMrkdwn(mrkdwn, SECTION_LIMIT);
  const files: SlackFile[] = message.attachment ? [message.attachment] : [];
  if (message.image)
    files.push({ name: message.image.name, content: message.image.png, alt: message.image.alt });
  const budget = options.overflow === 'file' ? INLINE_LIMIT : Number.POSITIVE_INFINITY;
  const inline = fitInline(chunks, budget);
  const sections = inline.map(section);
  if (inline.length < chunks.length) {
    const shown = inline.reduce((n, c) => n + c.length, 0);
    const more = mrkdwn.length - shown;
    if (options.overflow === 'file') {
      files.push({ name: 'message.txt', content: plainLiterals(message.text) });
      sections.push(section(`_… ${more} more characters: the whole message is in message.txt below._`));
    } else {
      sections.push(section(`_… ${more} more characters not shown (Slack's message size limit)._`));
    }
  }
  const text = notificationText(mrkdwn) || (message.buttons?.length ? 'Preflight' : '(empty message)');
  return {
    text,
    blocks: [...sections, ...actionBlocks(message.buttons ?? [])],
    files,
  };
}

/** The ButtonAction of a Slack action id (`gate.approve`, or `decide#2` for a repeated action). */
export function actionOf(actionId: string): string {
  const cut = actionId.indexOf(ACTION_INDEX_SEPARATOR);
  return cut < 0 ? actionId : actionId.slice(0, cut);
}
