/**
 * A thread that was deleted, started anew in its channel: a new first message (drawn as it stands now), a word in
 * its thread that the earlier one was deleted, and the messages that must go on (prompts still waiting for an
 * answer) posted again in it. Each post goes once across restarts (post-once.ts, keyed by the deleted thread); the
 * new first message takes the place of the old one in the message index last, so a process that dies midway starts
 * the same new thread again when it retries. Deployments (thread-anew.ts) and incidents (incident-thread-anew.ts).
 */
import {
  type ChatMessage,
  type ChatPort,
  MessageGoneError,
  type MessageIndex,
  type MessageRef,
  ThreadClosedError,
} from '../../core/index.ts';
import { postOnce } from './post-once.ts';

/** A message to post again in the new thread when its earlier post was in the deleted one. */
export interface PostedAgain {
  readonly key: string;
  readonly draw: () => Promise<ChatMessage>;
}

export interface NewThread {
  readonly port: ChatPort;
  readonly index: MessageIndex;
  /** The deployment or incident whose thread it is. */
  readonly owner: string;
  readonly channel: string;
  /** The key of the thread's first message in the message index (`status`, `incident`). */
  readonly rootKey: string;
  /** Renders the first message as it stands now. */
  readonly drawRoot: () => Promise<ChatMessage>;
  /** Said once in the new thread, first: that the earlier thread was deleted, and where things stand. */
  readonly word: string;
  readonly again: readonly PostedAgain[];
}

/** The thread a message is in, or starts (a thread's first message, on Discord, shares its id). */
export const threadOf = (ref: MessageRef): string => ref.thread ?? ref.id;

/**
 * The thread `error` says was deleted: one a post or edit found gone, or, when the edit was of the thread's first
 * message (`rootEdited`) and found that gone, its thread (on Slack the thread goes with it, or stays under "This
 * message was deleted" without its buttons). `root` reads the first message as the message index has it.
 */
async function deletedThread(
  error: unknown,
  rootEdited: boolean,
  root: () => Promise<MessageRef | undefined>,
): Promise<string | undefined> {
  if (error instanceof ThreadClosedError) return error.deleted;
  if (!(error instanceof MessageGoneError) || !rootEdited) return undefined;
  const gone = await root();
  return gone && threadOf(gone);
}

/** How a sender finds its thread deleted and starts it anew (thread-anew.ts, incident-thread-anew.ts). */
export interface ThreadAnew {
  /** Whether the delivery edits the thread's first message. */
  readonly rootEdited: boolean;
  readonly root: () => Promise<MessageRef | undefined>;
  readonly startAnew: (deleted: string) => Promise<unknown>;
}

/**
 * Delivers; a delivery that finds its thread deleted gives way to a new thread, where it goes once more (it may be
 * in the old one). Any other failure is thrown as it came.
 */
export async function deliverOrAnew<T>(deliver: () => Promise<T>, anew: ThreadAnew): Promise<T> {
  try {
    return await deliver();
  } catch (error) {
    const deleted = await deletedThread(error, anew.rootEdited, anew.root);
    if (deleted === undefined) throw error;
    await anew.startAnew(deleted);
    return await deliver();
  }
}

/**
 * The first message whose thread takes the place of `deleted`: the one already in the index when it is not in that
 * thread (started anew before), else a new one, posted now with the word under it. The messages of `again` that
 * were in the deleted thread are posted again under it.
 */
export async function startNewThread(p: NewThread, deleted: string): Promise<MessageRef> {
  const { index, owner, rootKey } = p;
  const now = Date.now();
  const post = (key: string, message: ChatMessage, thread?: MessageRef, as?: string) =>
    postOnce({
      port: p.port,
      index,
      owner,
      key,
      ...(as !== undefined && { as }),
      channel: p.channel,
      message,
      now,
      ...(thread && { thread }),
    });
  const earlier = await index.find(owner, rootKey);
  const anew = earlier === undefined || threadOf(earlier) === deleted;
  const root = anew ? await post(`${rootKey}:anew:${deleted}`, await p.drawRoot()) : earlier;
  if (anew) await post(`thread-deleted:${deleted}`, { text: p.word, tone: 'warning' }, root);
  for (const { key, draw } of p.again) {
    const before = await index.find(owner, key);
    if (!before || threadOf(before) !== deleted) continue;
    // The key's message as soon as it is recorded, so its buttons count from then on.
    await post(`${key}:anew:${deleted}`, await draw(), root, key);
  }
  if (anew) {
    await index.save(owner, rootKey, root);
    if (earlier) await markMoved(p, earlier, root);
  }
  return root;
}

/** The old first message, no longer edited, says where things go on; it is only a pointer, so best effort. */
async function markMoved(p: NewThread, old: MessageRef, root: MessageRef): Promise<void> {
  const link = (await p.port.linkThread?.(root, 'the new thread')) ?? 'the new thread below';
  const { text } = await p.drawRoot();
  const moved = `${text}\n↪️ This message is no longer updated: its thread was deleted, and ${p.owner} goes on in ${link}.`;
  await p.port.update(old, { text: moved }).catch(() => undefined);
}
