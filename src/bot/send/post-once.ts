/**
 * Posts a message once, even across crashes: a post already in the message index is done; a post attempted
 * before (its process died between the send and the answer, or the platform failed mid-way) is looked up on
 * the platform by its delivery id before it is sent again.
 */
import type { ChatMessage, ChatPort, MessageIndex, MessageRef } from '../../core/index.ts';

export interface PostOnce {
  readonly port: ChatPort;
  readonly index: MessageIndex;
  /** The deployment or incident the message belongs to, and the message's key within it. */
  readonly owner: string;
  readonly key: string;
  readonly channel: string;
  readonly message: ChatMessage;
  readonly thread?: MessageRef;
  readonly now: number;
}

/** Posts (or finds the earlier post) and saves its ref in the message index. */
export async function postOnce(p: PostOnce): Promise<MessageRef> {
  const known = await p.index.find(p.owner, p.key);
  if (known) return known;
  const deliveryId = `${p.owner}:${p.key}`;
  const since = await p.index.noteAttempt(p.owner, p.key, p.now);
  const found =
    since !== undefined && p.port.findDelivery
      ? await p.port.findDelivery({
          channel: p.channel,
          deliveryId,
          since,
          ...(p.thread && { thread: p.thread }),
        })
      : undefined;
  const ref = found ?? (await p.port.post(p.channel, p.message, p.thread, { deliveryId }));
  await p.index.save(p.owner, p.key, ref);
  return ref;
}
