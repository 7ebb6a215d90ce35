/**
 * Posts a message once, even across crashes: a post already in the message index is done; a post attempted
 * before (its process died between the send and the answer, or the platform failed mid-way) is looked up on
 * the platform by its delivery id before it is sent again. When that lookup fails, the post is not sent: it
 * fails as `unsure`, and the send queue looks it up again later without holding up the rest of the channel.
 * A reply waits the same way while its thread's first message was tried and is not known (threadRoot); a post
 * the platform refused (nothing went out) or one given up forgets its attempt, so its replies stop waiting for it.
 * A channel that refused the lookup does not: the earlier try may have gone out, and is looked up again once the
 * channel lets Preflight in (the send queue keeps it meanwhile).
 */
import {
  type ChatMessage,
  type ChatPort,
  ChatSendError,
  type DeliverySearch,
  type MessageIndex,
  type MessageRef,
} from '../../core/index.ts';

export interface PostOnce {
  readonly port: ChatPort;
  readonly index: MessageIndex;
  /** The deployment or incident the message belongs to, and the message's key within it. */
  readonly owner: string;
  readonly key: string;
  /** The key the message stands for when `key` is its own post's (MessageIndex.save): saved as both at once. */
  readonly as?: string;
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
  const since = await p.index.noteAttempt(p.owner, p.key, p.now, p.port.platform);
  let posting = false;
  try {
    const found =
      since !== undefined
        ? await lookUp(p.port, {
            channel: p.channel,
            deliveryId,
            since,
            message: p.message,
            claimed: async (ref) => {
              const owner = await p.index.lookup(ref.platform, ref.channel, ref.id);
              return (
                owner !== undefined &&
                (owner.deploymentId !== p.owner || (owner.key !== p.key && owner.key !== p.as))
              );
            },
            ...(p.thread && { thread: p.thread }),
          })
        : undefined;
    posting = found === undefined;
    const ref = found ?? (await p.port.post(p.channel, p.message, p.thread, { deliveryId }));
    await p.index.save(p.owner, p.key, ref, p.as);
    return ref;
  } catch (error) {
    // Given up (`drop`), or refused as it was posted (nothing went out): its replies stop waiting for it.
    if (isRefusal(error) && (error.kind === 'drop' || posting)) await p.index.forgetAttempt(p.owner, p.key);
    throw error;
  }
}

/**
 * A direct message to `userId`, recorded in the message index like any post: posted once (through its
 * direct-message channel, findable by delivery id) where the platform offers that channel, else at least once.
 */
export async function directOnce(
  p: Omit<PostOnce, 'channel' | 'thread'> & { readonly userId: string },
): Promise<MessageRef> {
  const { userId, ...post } = p;
  if (p.port.directChannel) return postOnce({ ...post, channel: await p.port.directChannel(userId) });
  const known = await p.index.find(p.owner, p.key);
  if (known) return known;
  const ref = await p.port.directMessage(userId, p.message);
  await p.index.save(p.owner, p.key, ref, p.as);
  return ref;
}

/** A refusal of the platform (a post that will not go however often it is tried now). */
export function isRefusal(error: unknown): error is ChatSendError {
  return error instanceof ChatSendError && (error.kind === 'drop' || error.kind === 'refused');
}

/**
 * The message a reply goes under: the thread's first message (`rootKey`), or none when it was never attempted (or
 * was given up). One that was attempted and is not known yet may have gone out: the reply is in doubt with it,
 * never posted at the top of the channel (a root queued by an older version is not held back by the queue).
 */
export async function threadRoot(
  index: MessageIndex,
  owner: string,
  rootKey: string,
): Promise<MessageRef | undefined> {
  const root = await index.find(owner, rootKey);
  if (root || !(await index.attempted(owner, rootKey))) return root;
  throw new ChatSendError(
    'unsure',
    `the first message of ${owner}'s thread may have been posted and is not known yet`,
  );
}

/** The earlier post, if the platform has it; a failed lookup is `unsure` (a refused one stays a refusal). */
async function lookUp(port: ChatPort, search: DeliverySearch): Promise<MessageRef | undefined> {
  if (!port.findDelivery) return undefined;
  try {
    return await port.findDelivery(search);
  } catch (error) {
    if (isRefusal(error)) throw error;
    const retryAfterMs = error instanceof ChatSendError ? error.retryAfterMs : undefined;
    throw new ChatSendError(
      'unsure',
      `could not look up ${search.deliveryId}, which may have been posted: ${(error as Error).message}`,
      retryAfterMs,
    );
  }
}

/**
 * The thread's first message for a reply, posted now when there is none: the platform refused it earlier (a
 * permission fixed since) or it was never tried. A reply is never posted at the top of the channel, where the
 * rest of its thread would scatter; if the first message is refused again, so is the reply, saying why.
 */
export async function rootOrPost(
  p: Omit<PostOnce, 'key' | 'message' | 'thread'> & {
    readonly rootKey: string;
    readonly render: () => Promise<ChatMessage>;
  },
): Promise<MessageRef> {
  const root = await threadRoot(p.index, p.owner, p.rootKey);
  if (root) return root;
  return postOnce({ ...p, key: p.rootKey, message: await p.render() });
}
