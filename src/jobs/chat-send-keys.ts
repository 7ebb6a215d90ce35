/** Redis key layout of the chat send queue (named in core's key space); its scripts: chat-send-scripts.ts. */
import { createKeySpace } from '../core/index.ts';

/** Keys of one channel under a prefix. */
export interface ChatChannelKeys {
  /** LIST: queued items (JSON) in arrival order; CLAIM picks which goes next. */
  readonly queue: string;
  /** SET (shared): channels whose list may be non-empty. */
  readonly channels: string;
  /** STRING with expiry: id of the process sending for the channel. */
  readonly lease: string;
  /**
   * HASH: last (post start, µs), lastEdit (edit start, µs), hold (no send of either before, µs), attempts
   * (failed tries of the head), `doubt:<item id>` per mergeable post handed out and per post in doubt, with
   * the set its first attempt carried (chat-send-pick.ts, CLAIM, PARK), and `refused:<thread>` per thread the
   * channel refused (REFUSE), and `indexed` once the urgent and thread indexes were built from the queue.
   */
  readonly state: string;
  /** SET: keys of refreshes that are queued and not yet being sent. */
  readonly refreshes: string;
  /** LIST: the urgent posts of `queue`, in its order (chat-send-index.ts). */
  readonly urgent: string;
  /** The key of a thread's LIST of posts of `queue` is this followed by the thread (chat-send-index.ts). */
  readonly threadPrefix: string;
}

/** The key layout (named in core's key space); `posted` is the dedupe marker of a post key. */
export function chatChannelKeys(prefix: string, channel: string): ChatChannelKeys {
  const { chat } = createKeySpace(prefix);
  return {
    queue: chat.queue(channel),
    channels: chat.channels,
    lease: chat.lease(channel),
    state: chat.state(channel),
    refreshes: chat.refreshes(channel),
    urgent: chat.urgent(channel),
    threadPrefix: chat.threadQueue(channel, ''),
  };
}

export function chatPostedKey(prefix: string, channel: string, key: string): string {
  return createKeySpace(prefix).chat.posted(channel, key);
}

/** Pub/sub channel on which enqueue announces a channel with new work. */
export function chatWakeChannel(prefix: string): string {
  return createKeySpace(prefix).chat.wake;
}
