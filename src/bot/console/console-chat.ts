/**
 * The terminal chat: a ChatPort (platform `console`) that prints a readable transcript. Channels are the
 * runbook's channel names, message ids are `m<N>`, and the person at the keyboard types as a runbook person.
 */
import type { ChatMessage, ChatPort, MessageRef, Redactor } from '../../core/index.ts';
import { type ConsoleTranscript, createConsoleTranscript } from './console-transcript.ts';

/** What the terminal chat needs: where lines go, colour, the clock and message numbers. */
export interface ConsoleChatDeps {
  readonly write: (line: string) => void;
  readonly color: boolean;
  readonly now: () => number;
  /** The next message number (main wires a Redis INCR, so ids never repeat across restarts). */
  readonly nextId: () => Promise<number>;
  /** Writes a picture (a report's timeline) to a file and returns its path; none: pictures are not shown. */
  readonly saveImage?: (name: string, png: Uint8Array) => Promise<string>;
  /** Applied to every text before it is printed, as the Slack and Discord adapters do before a text leaves. */
  readonly redactor?: Redactor;
}

/** What this session printed of a message: where it is and its buttons, for `click` and `react`. */
export interface ShownMessage {
  readonly ref: MessageRef;
  readonly message: ChatMessage;
}

/** The terminal chat: its port for the send queue, its transcript, and what it has shown. */
export interface ConsoleChat {
  readonly port: ChatPort;
  readonly transcript: ConsoleTranscript;
  /** A message printed in this session, by id (`m7`). */
  shown(id: string): ShownMessage | undefined;
}

/** Messages remembered for edits and clicks; the oldest are forgotten past this many. */
const REMEMBERED = 5_000;

/** Creates the terminal chat. */
export function createConsoleChat(deps: ConsoleChatDeps): ConsoleChat {
  const redact = (text: string) => deps.redactor?.redact(text) ?? text;
  const clean = (message: ChatMessage): ChatMessage => ({
    ...message,
    text: redact(message.text),
    ...(message.attachment && {
      attachment: { ...message.attachment, content: redact(message.attachment.content) },
    }),
  });
  const printer = createConsoleTranscript(deps);
  const transcript: ConsoleTranscript = {
    ...printer,
    message: (ref, author, message) => printer.message(ref, author, clean(message)),
    edit: (ref, message, before) => printer.edit(ref, clean(message), before && clean(before)),
    reply: (user, reply, channel) => printer.reply(user, { ...reply, text: redact(reply.text) }, channel),
    typed: (user, line) => printer.typed(user, redact(line)),
    // A line the console cannot read is quoted back, and a script's notes are shown: both as typed, so redacted too.
    error: (text) => printer.error(redact(text)),
    info: (text) => printer.info(redact(text)),
    narrate: (text) => printer.narrate(redact(text)),
  };
  const shown = new Map<string, ShownMessage>();
  const remember = (ref: MessageRef, message: ChatMessage) => {
    shown.delete(ref.id);
    shown.set(ref.id, { ref, message });
    if (shown.size > REMEMBERED) {
      const oldest = shown.keys().next().value;
      if (oldest !== undefined) shown.delete(oldest);
    }
  };
  const newRef = async (channel: string, thread?: MessageRef): Promise<MessageRef> => {
    const id = `m${await deps.nextId()}`;
    const root = thread === undefined ? undefined : (thread.thread ?? thread.id);
    return { platform: 'console', channel, id, ...(root !== undefined && { thread: root }) };
  };

  /** A terminal cannot show a picture: it is written to a file and the message names the path. */
  const withImagePath = async (message: ChatMessage): Promise<ChatMessage> => {
    const { image, ...rest } = message;
    if (!image || !deps.saveImage) return rest;
    const path = await deps.saveImage(image.name, image.png);
    return { ...rest, text: `${rest.text}\n🖼 Timeline picture: ${path}` };
  };

  const port: ChatPort = {
    platform: 'console',
    async post(channel, original, thread) {
      const message = await withImagePath(original);
      const ref = await newRef(channel, thread);
      transcript.message(ref, 'preflight', message);
      remember(ref, message);
      return ref;
    },
    async update(ref, message) {
      transcript.edit(ref, message, shown.get(ref.id)?.message);
      remember(shown.get(ref.id)?.ref ?? ref, message);
    },
    async react(ref, emoji) {
      transcript.reaction(ref, emoji);
    },
    async directMessage(userId, message) {
      const ref = await newRef(`@${userId}`);
      transcript.message(ref, 'preflight', message);
      remember(ref, message);
      return ref;
    },
    userIdOf: (personId) => personId,
    mention: (userId, name) => (userId !== undefined ? `@${userId}` : name),
  };

  return {
    port,
    transcript,
    shown: (id) => shown.get(id),
  };
}
