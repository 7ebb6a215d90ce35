/**
 * SlackChat: the ChatPort on the Slack Web API. One send-queue delivery makes one chat.postMessage or
 * chat.update (plus a file upload for long output), so the queue's per-channel pacing is Slack's pacing. Posts
 * carry their delivery id in message metadata, so one cut off mid-send is found again (slack-deliveries.ts). Every
 * failure is a ChatSendError the queue understands (see slack-errors.ts).
 */
import {
  type ChatMessage,
  type ChatPort,
  ChatSendError,
  type MessageRef,
  type Redactor,
} from '../../core/index.ts';
import { rememberDirectChannels } from '../direct-channels.ts';
import { type ChannelPacer, createChannelPacer } from './channel-pacer.ts';
import { buildSlackMessage, type SlackMessage } from './slack-blocks.ts';
import { type ChannelDirectory, createChannelDirectory } from './slack-channels.ts';
import type { DeletedThreads } from './slack-deleted-threads.ts';
import { createDeliveryFinder, deliveryMetadata } from './slack-deliveries.ts';
import { lacksScope, toChatSendError } from './slack-errors.ts';
import { createSlackLinks } from './slack-links.ts';
import type { SlackApi, SlackLog } from './slack-types.ts';

const UPLOAD_TRIES = 3;
/**
 * Slack's pace for posting in one channel: about one message a second. Edits (chat.update, Tier 3: 50+ a minute
 * per workspace) keep the same gap on a clock of their own, as the send queue paces them.
 */
export const CHANNEL_GAP_MS = 1_000;
const MAX_UPLOAD_WAIT_MS = 30_000;

export interface SlackChatDeps {
  readonly api: SlackApi;
  readonly log: SlackLog;
  /** Applied to every text and file before it leaves (defence in depth: renderers redact already). */
  readonly redactor?: Redactor;
  readonly channels?: ChannelDirectory;
  readonly pacer?: ChannelPacer;
  readonly sleep?: (ms: number) => Promise<void>;
  /** First messages people deleted: no post or edit goes into their threads (slack-deleted-threads.ts). */
  readonly deletedThreads?: Pick<DeletedThreads, 'refuseDeleted'>;
}

const wait = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

/** Creates the Slack chat port. */
export function createSlackChat(deps: SlackChatDeps): ChatPort {
  const { api, log } = deps;
  const sleep = deps.sleep ?? wait;
  const channels = deps.channels ?? createChannelDirectory({ api, log });
  const directs = rememberDirectChannels((userId) => channels.directChannel(userId));
  const redact = (text: string) => deps.redactor?.redact(text) ?? text;
  const pacer = deps.pacer ?? createChannelPacer({ minGapMs: CHANNEL_GAP_MS });

  /** A message call (post or edit), paced per channel and kind. */
  const call = async (method: string, args: Record<string, unknown>, what: string) => {
    await pacer.turn(String(args.channel), method === 'chat.update' ? 'edit' : 'post');
    try {
      return (await api.apiCall(method, args)) as unknown as Record<string, unknown>;
    } catch (error) {
      throw toChatSendError(error, what);
    }
  };

  const build = (message: ChatMessage, overflow: 'file' | 'cut'): SlackMessage =>
    buildSlackMessage(
      {
        ...message,
        text: redact(message.text),
        ...(message.attachment && {
          attachment: { name: message.attachment.name, content: redact(message.attachment.content) },
        }),
      },
      { overflow },
    );

  const content = (built: SlackMessage) => ({
    text: built.text,
    ...(built.blocks.length > 0 && { blocks: built.blocks }),
  });

  /** Uploads into the message's thread; a file that cannot be uploaded is announced on the message itself. */
  const upload = async (ref: MessageRef, built: SlackMessage): Promise<void> => {
    for (const file of built.files) {
      for (let attempt = 1; ; attempt++) {
        try {
          await api.filesUploadV2({
            channel_id: ref.channel,
            thread_ts: ref.thread ?? ref.id,
            filename: file.name,
            title: file.name,
            ...(typeof file.content === 'string'
              ? { content: file.content }
              : { file: Buffer.from(file.content), ...(file.alt !== undefined && { alt_text: file.alt }) }),
          });
          break;
        } catch (error) {
          const failure = toChatSendError(error, `upload ${file.name}`);
          const final = failure.kind === 'drop' || failure.kind === 'refused' || lacksScope(error);
          if (!final && attempt < UPLOAD_TRIES) {
            await sleep(Math.min(failure.retryAfterMs ?? 1_000 * attempt, MAX_UPLOAD_WAIT_MS));
            continue;
          }
          log.error(
            { channel: ref.channel, ts: ref.id, file: file.name, err: failure.message },
            'upload failed',
          );
          const note = {
            type: 'context',
            elements: [{ type: 'mrkdwn', text: `⚠️ ${file.name} could not be attached: ${failure.message}` }],
          };
          await call(
            'chat.update',
            { channel: ref.channel, ts: ref.id, text: built.text, blocks: [...built.blocks, note] },
            'note a failed upload',
          ).catch((e: unknown) =>
            log.error({ err: (e as Error).message }, 'could not note the failed upload'),
          );
          break;
        }
      }
    }
  };

  const send = async (
    channel: string,
    message: ChatMessage,
    threadTs: string | undefined,
    label: string,
    deliveryId?: string,
  ): Promise<MessageRef> => {
    if (threadTs !== undefined)
      await deps.deletedThreads?.refuseDeleted(channel, threadTs, `post to ${label}`);
    const built = build(message, 'file');
    const posted = await call(
      'chat.postMessage',
      {
        channel,
        ...content(built),
        ...(threadTs !== undefined && { thread_ts: threadTs }),
        ...(deliveryId !== undefined && { metadata: deliveryMetadata(deliveryId) }),
        unfurl_links: false,
        unfurl_media: false,
      },
      `post to ${label}`,
    );
    if (typeof posted.ts !== 'string')
      throw new ChatSendError('retry', `Slack returned no ts posting to ${label}`);
    const ref: MessageRef = {
      platform: 'slack',
      channel: typeof posted.channel === 'string' ? posted.channel : channel,
      id: posted.ts,
      ...(threadTs !== undefined && { thread: threadTs }),
    };
    await upload(ref, built);
    return ref;
  };

  return {
    platform: 'slack',

    async post(channel, message, thread, options) {
      const id = options?.deliveryId;
      if (thread) return send(thread.channel, message, thread.thread ?? thread.id, channel, id);
      return send(await channels.resolve(channel), message, undefined, directs.label(channel), id);
    },

    findDelivery: createDeliveryFinder({ api, log, channels }),

    async update(ref, message) {
      await deps.deletedThreads?.refuseDeleted(ref.channel, ref.thread ?? ref.id, 'edit a message');
      const built = build(message, 'cut');
      await call('chat.update', { channel: ref.channel, ts: ref.id, ...content(built) }, 'edit a message');
      await upload(ref, built);
    },

    async react(ref, emoji) {
      try {
        await api.apiCall('reactions.add', { channel: ref.channel, timestamp: ref.id, name: emoji });
      } catch (error) {
        const code = (error as { data?: { error?: string } }).data?.error;
        if (code !== 'already_reacted') throw toChatSendError(error, `react :${emoji}:`);
      }
    },

    async directMessage(userId, message) {
      return send(await channels.directChannel(userId), message, undefined, `a direct message to ${userId}`);
    },

    directChannel: (userId) => directs.open(userId),

    userIdOf: (_personId, person) => person?.slack,

    mention: (userId, name) => (userId ? `<@${userId}>` : name),

    ...createSlackLinks({ api, log, channels }),
  };
}
