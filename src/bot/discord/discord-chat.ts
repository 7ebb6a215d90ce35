/**
 * DiscordChat: the ChatPort on Discord's REST API. A deployment's (or incident's) first message goes to the
 * channel; its first reply starts a public thread from it (the thread has the message's id, as on Discord) and
 * every later reply goes into that thread. One send-queue delivery makes one message call, so the queue paces
 * (posts and edits on separate clocks: Discord rate-limits POST and PATCH of channel messages as separate routes)
 * and retries; rate limits come back as ChatSendError with Discord's wait (see discord-errors.ts).
 */
import { createHash } from 'node:crypto';
import { type REST, Routes } from 'discord.js';
import {
  type ChatMessage,
  type ChatPort,
  ChatSendError,
  clipText,
  EMOJI,
  type MessageRef,
  type NoticeLimit,
  plainLiterals,
  type Redactor,
  ThreadClosedError,
} from '../../core/index.ts';
import { rememberDirectChannels } from '../direct-channels.ts';
import type { DiscordChannelDirectory } from './discord-channels.ts';
import { createDiscordDeliveryFinder } from './discord-deliveries.ts';
import { DISCORD_CODES, toChatSendError, toThreadPostError } from './discord-errors.ts';
import { createDiscordLinks } from './discord-links.ts';
import { buildDiscordMessage } from './discord-message.ts';

/** Canonical emoji names (as on Slack) to the Unicode Discord uses. */
export const EMOJI_UNICODE: Readonly<Record<string, string>> = {
  [EMOJI.approve]: '✅',
  [EMOJI.reject]: '❌',
  [EMOJI.rollback]: '🔄',
  [EMOJI.ack]: '👀',
};
const THREAD_NAME_LIMIT = 100;
/** One day: threads stay open while a deployment runs; a reply reopens an archived one. */
const AUTO_ARCHIVE_MINUTES = 1440;

/**
 * How long a thread that took no more posts (deleted, archived and locked) is remembered as closed: its replies
 * meanwhile are given up without a request; after it, the next reply tries again (a moderator may have unlocked it).
 */
export const THREAD_CLOSED_MS = 15 * 60_000;

export interface DiscordChatDeps {
  readonly rest: REST;
  readonly channels: DiscordChannelDirectory;
  readonly redactor?: Redactor;
  /** Where threads that took no more posts are remembered (in Redis, for every process), THREAD_CLOSED_MS each. */
  readonly closedThreads?: NoticeLimit;
}

const closedKey = (threadId: string) => `discord:thread-closed:${threadId}`;
/** A thread remembered as deleted: unlike a locked one, a new thread can take its place. */
const deletedKey = (threadId: string) => `discord:thread-deleted:${threadId}`;
const rethrow = (error: unknown): never => {
  throw error;
};

/** Discord's nonce (at most 25 characters) for a delivery id: a digest, the same on every attempt. */
export function nonceOf(deliveryId: string): string {
  return createHash('sha256').update(deliveryId).digest('base64url').slice(0, 25);
}

/** A thread's name from its root message's first line, without markup; a long one is cut between characters. */
export function threadNameOf(text: string): string {
  const line = (plainLiterals(text).split('\n')[0] ?? '').replace(/[*_`~<>]/g, '').trim() || 'Preflight';
  return clipText(line, THREAD_NAME_LIMIT);
}

/** Creates the Discord chat port. */
export function createDiscordChat(deps: DiscordChatDeps): ChatPort {
  const { rest, channels } = deps;
  const directs = rememberDirectChannels((userId) => channels.directChannel(userId));
  const redact = (text: string) => deps.redactor?.redact(text) ?? text;
  const threads = new Set<string>();
  const rootNames = new Map<string, string>();

  const build = (message: ChatMessage) =>
    buildDiscordMessage({
      ...message,
      text: redact(message.text),
      ...(message.attachment && {
        attachment: { name: message.attachment.name, content: redact(message.attachment.content) },
      }),
    });

  const call = async <T>(
    run: () => Promise<unknown>,
    what: string,
    classify: typeof toChatSendError = toChatSendError,
  ): Promise<T> => {
    try {
      return (await run()) as T;
    } catch (error) {
      throw classify(error, what);
    }
  };

  /** Starts the thread under `root` unless it exists; Discord's "already created" counts as success. */
  const ensureThread = async (root: MessageRef): Promise<string> => {
    if (root.thread !== undefined) return root.thread;
    if (threads.has(root.id)) return root.id;
    let name = rootNames.get(root.id);
    if (name === undefined) {
      const fetched = await call<{ content?: string }>(
        () => rest.get(Routes.channelMessage(root.channel, root.id)),
        'read the thread root',
      ).catch(() => ({ content: '' }));
      name = threadNameOf(fetched.content ?? '');
    }
    try {
      await rest.post(Routes.threads(root.channel, root.id), {
        body: { name, auto_archive_duration: AUTO_ARCHIVE_MINUTES },
      });
    } catch (error) {
      const code = (error as { code?: unknown }).code;
      if (code !== DISCORD_CODES.threadAlreadyCreated) throw toChatSendError(error, 'start a thread');
    }
    threads.add(root.id);
    if (threads.size > 5_000) threads.delete(threads.values().next().value ?? '');
    return root.id;
  };

  /** A thread remembered as closed is not asked again: the post or edit is given up without a request. */
  const skipClosed = async (threadId: string, what: string): Promise<void> => {
    const minutes = THREAD_CLOSED_MS / 60_000;
    if (await deps.closedThreads?.held(deletedKey(threadId)))
      throw new ThreadClosedError(`did not ${what}: it was gone (deleted) less than ${minutes} minutes ago`, {
        known: true,
        deleted: threadId,
      });
    if (await deps.closedThreads?.held(closedKey(threadId)))
      throw new ThreadClosedError(
        `did not ${what}: it took no more posts (archived and locked) less than ${minutes} minutes ago`,
        { known: true },
      );
  };

  /** Remembers the thread as closed (or deleted) when `error` says it takes no more posts; rethrows it. */
  const rememberClosed =
    (threadId: string) =>
    async (error: unknown): Promise<never> => {
      if (error instanceof ThreadClosedError) {
        const key = error.deleted === undefined ? closedKey(threadId) : deletedKey(threadId);
        await deps.closedThreads?.take(key, THREAD_CLOSED_MS).catch(() => undefined);
      }
      throw error;
    };
  const inThread = (threadId: string) => (error: unknown, what: string) =>
    toThreadPostError(error, what, threadId);

  const send = async (
    channelId: string,
    message: ChatMessage,
    label: string,
    deliveryId?: string,
    classify: typeof toChatSendError = toChatSendError,
  ): Promise<{ id: string }> => {
    const built = build(message);
    // Discord answers a repeated nonce (within minutes) with the message it already made: a resend soon after
    // cannot double. Later ones are looked up first (discord-deliveries.ts).
    const nonce = deliveryId !== undefined && { nonce: nonceOf(deliveryId), enforce_nonce: true };
    const posted = await call<{ id?: string }>(
      () =>
        rest.post(Routes.channelMessages(channelId), {
          body: { ...built.body, ...nonce },
          files: [...built.files],
        }),
      `post to ${label}`,
      classify,
    );
    if (typeof posted.id !== 'string')
      throw new ChatSendError('retry', `Discord returned no message id posting to ${label}`);
    return { id: posted.id };
  };

  return {
    platform: 'discord',

    async post(channel, message, thread, options) {
      if (thread) {
        const label = `the thread in ${channel}`;
        await skipClosed(thread.thread ?? thread.id, `post to ${label}`);
        const threadId = await ensureThread(thread);
        const posted = await send(threadId, message, label, options?.deliveryId, inThread(threadId)).catch(
          rememberClosed(threadId),
        );
        return { platform: 'discord', channel: threadId, id: posted.id, thread: threadId };
      }
      const channelId = await channels.resolve(channel);
      const posted = await send(channelId, message, directs.label(channel), options?.deliveryId);
      // Named as the message shows: a credential masked in it is masked in the thread's name too.
      rootNames.set(posted.id, threadNameOf(redact(message.text)));
      if (rootNames.size > 5_000) rootNames.delete(rootNames.keys().next().value ?? '');
      return { platform: 'discord', channel: channelId, id: posted.id };
    },

    async update(ref, message) {
      const { thread } = ref;
      if (thread !== undefined) await skipClosed(thread, 'edit a message in a thread');
      const built = build(message);
      await call(
        () =>
          rest.patch(Routes.channelMessage(ref.channel, ref.id), {
            // The listed attachments replace the old ones: the new files, or none.
            body: { ...built.body, attachments: built.files.map((f, i) => ({ id: i, filename: f.name })) },
            files: [...built.files],
          }),
        thread === undefined ? 'edit a message' : 'edit a message in a thread',
        thread === undefined ? toChatSendError : inThread(thread),
      ).catch(thread === undefined ? rethrow : rememberClosed(thread));
    },

    async react(ref, emoji) {
      const unicode = EMOJI_UNICODE[emoji] ?? emoji;
      await call(
        () => rest.put(Routes.channelMessageOwnReaction(ref.channel, ref.id, encodeURIComponent(unicode))),
        `react ${unicode}`,
      );
    },

    async directMessage(userId, message) {
      const channelId = await channels.directChannel(userId);
      const posted = await send(channelId, message, `a direct message to ${userId}`);
      return { platform: 'discord', channel: channelId, id: posted.id };
    },

    directChannel: (userId) => directs.open(userId),

    findDelivery: createDiscordDeliveryFinder({
      rest,
      channels,
      build: (search) => search.message && build(search.message),
    }),

    userIdOf: (_personId, person) => person?.discord,

    mention: (userId, name) => (userId ? `<@${userId}>` : name),

    threadClosed: async (root) =>
      (await deps.closedThreads?.held(closedKey(root.thread ?? root.id))) ?? false,

    ...createDiscordLinks({ channels }),
  };
}
