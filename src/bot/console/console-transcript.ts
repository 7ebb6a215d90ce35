/**
 * The terminal transcript: one block per message (time, channel › thread, id, author, text), compact edits,
 * reactions, DMs, and the lines the person typed with the replies only they see.
 */
import type { Reply } from '../../commands/command.ts';
import { type ChatMessage, literalLines, type MessageRef, plainLiterals } from '../../core/index.ts';
import { diffLines } from './console-diff.ts';
import { showEmoji } from './console-emoji.ts';
import { createConsoleStyle } from './console-style.ts';

/** Everything the terminal chat prints. */
export interface ConsoleTranscript {
  /** A new message in a channel (or a thread of it), or a DM when `ref.channel` starts with `@`. */
  message(ref: MessageRef, author: string, message: ChatMessage): void;
  /** An edit: only the lines that changed since `before` was printed (the whole text when it was not). */
  edit(ref: MessageRef, message: ChatMessage, before: ChatMessage | undefined): void;
  reaction(ref: MessageRef, emoji: string): void;
  /** A line typed (echoed from a script): as a person, or a console directive (no person). */
  typed(user: string | undefined, line: string): void;
  /** A command's answer: privately to the person, or in the channel for everyone. */
  reply(user: string, reply: Reply, channel: string): void;
  narrate(text: string): void;
  error(text: string): void;
  info(text: string): void;
}

/** Where the transcript goes, in colour or not, with times from `now`. */
export interface ConsoleTranscriptDeps {
  readonly write: (line: string) => void;
  readonly color: boolean;
  readonly now: () => number;
}

/** Attachment lines printed at most; the rest is counted, never dropped silently. */
export const ATTACHMENT_LINES = 20;
const INDENT = '    ';
const CODE = '│ ';

/**
 * Text from people and steps, safe to print on a terminal: control characters (ESC, BEL, …) become `�`, so a
 * reason or a step's output cannot clear the screen, set the window title or hide a link. Tabs and line breaks stay.
 */
export const printable = (text: string): string =>
  // biome-ignore lint/suspicious/noControlCharactersInRegex: the control characters are what is replaced.
  text.replace(/\r\n/g, '\n').replace(/[\u0000-\u0008\u000b-\u001f\u007f-\u009f]/g, '�');

/**
 * The text as shown: code fences dropped, their lines marked with `│ `. Outside text (a literal span) stays as it
 * is on every line it runs over; a fence in it is text.
 */
function displayLines(text: string): string[] {
  const out: string[] = [];
  let code = false;
  for (const line of literalLines(printable(text))) {
    if (line.trimStart().startsWith('```')) {
      code = !code;
      const rest = line.trim().slice(3);
      if (rest !== '') out.push(`${CODE}${rest}`);
    } else out.push(code ? `${CODE}${line}` : line);
  }
  return out;
}

const clockOf = (at: number): string => new Date(at).toTimeString().slice(0, 8);

/** Creates the transcript printer. */
export function createConsoleTranscript(deps: ConsoleTranscriptDeps): ConsoleTranscript {
  let narrating = false;
  const write = (line: string) => {
    narrating = false;
    deps.write(line);
  };
  const s = createConsoleStyle(deps.color);
  const time = () => s.time(clockOf(deps.now()));
  const show = (line: string, tone: ChatMessage['tone']) =>
    line.startsWith(CODE) ? s.dim(plainLiterals(line)) : s.tone(s.markup(line), tone);
  const where = (ref: MessageRef) =>
    ref.channel.startsWith('@')
      ? `DM → ${s.channel(ref.channel)}`
      : `${s.channel(ref.channel)}${ref.thread !== undefined ? ` › ${s.channel(ref.thread)}` : ''}`;
  /** The header, with the text inline when it is one line, else indented under it. */
  const block = (head: string, lines: readonly string[], tone: ChatMessage['tone']) => {
    const [first, ...more] = lines;
    if (first !== undefined && more.length === 0 && !first.startsWith(CODE))
      return write(`${head}: ${show(first, tone)}`);
    write(head);
    for (const line of lines) write(`${INDENT}${show(line, tone)}`);
  };
  const extras = (ref: MessageRef, message: ChatMessage) => {
    const buttons = message.buttons ?? [];
    const first = buttons[0];
    if (first !== undefined) {
      const labels = buttons.map((b) => `[${b.label}]`).join(' ');
      write(`${INDENT}${labels}  ${s.dim(`(type: click ${ref.id} ${first.label.toLowerCase()})`)}`);
    }
    const file = message.attachment;
    if (file !== undefined) {
      const lines = printable(file.content).replace(/\n$/, '').split('\n');
      write(`${INDENT}📎 ${file.name} (${lines.length} ${lines.length === 1 ? 'line' : 'lines'})`);
      for (const line of lines.slice(0, ATTACHMENT_LINES)) write(`${INDENT}  ${s.dim(`${CODE}${line}`)}`);
      if (lines.length > ATTACHMENT_LINES)
        write(`${INDENT}  ${s.dim(`… ${lines.length - ATTACHMENT_LINES} more lines not shown here`)}`);
    }
  };
  const sameExtras = (a: ChatMessage, b: ChatMessage) =>
    JSON.stringify([a.buttons ?? [], a.attachment ?? null]) ===
    JSON.stringify([b.buttons ?? [], b.attachment ?? null]);

  return {
    message(ref, author, message) {
      block(
        `${time()} ${where(ref)} ${s.id(`[${ref.id}]`)} ${s.author(author)}`,
        displayLines(message.text),
        message.tone,
      );
      extras(ref, message);
    },
    edit(ref, message, before) {
      const head = `${time()} ✎ ${s.id(ref.id)}`;
      if (before === undefined) {
        block(head, displayLines(message.text), message.tone);
        return extras(ref, message);
      }
      const hunks = diffLines(displayLines(before.text), displayLines(message.text));
      // A line that is gone cannot be shown as a change without looking current: show the whole message then.
      const lines = hunks.some((h) => h.added.length === 0)
        ? displayLines(message.text)
        : hunks.flatMap((h) => h.added);
      const changedExtras = !sameExtras(before, message);
      if (lines.length === 0 && !changedExtras) return;
      if (lines.length === 0) write(head);
      else block(head, lines, message.tone);
      if (changedExtras) extras(ref, message);
    },
    reaction(ref, emoji) {
      write(`${time()} ${s.id(ref.id)} +${showEmoji(emoji)}`);
    },
    typed(user, line) {
      write(`${time()} ${user !== undefined ? `${s.author(`@${user}`)} ` : ''}› ${printable(line)}`);
    },
    reply(user, reply, channel) {
      const head =
        reply.visibility === 'ephemeral'
          ? `${time()} → ${s.author(user)} ${s.dim('(only you)')}`
          : `${time()} ${s.channel(channel)} ${s.author('preflight')}`;
      block(head, displayLines(reply.text), undefined);
    },
    narrate(text) {
      // A blank line before a block of narration, not between its lines.
      if (!narrating) deps.write('');
      narrating = true;
      deps.write(s.narration(text));
    },
    error(text) {
      write(s.error(`✗ ${printable(text)}`));
    },
    info(text) {
      write(s.dim(text));
    },
  };
}
