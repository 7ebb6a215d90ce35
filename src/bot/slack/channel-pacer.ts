/**
 * In-process spacing of calls per Slack channel. The send queue spaces send *starts* across processes; between
 * a start and the actual HTTP call the sender re-reads the deployment and renders, which takes a few
 * milliseconds more or less each time. The pacer absorbs that jitter so two calls of one kind to one channel
 * from this process are never closer than the minimum gap. It also spaces calls that do not go through the queue.
 * Posts and edits are spaced apart from each other, as the queue paces them (chat-send-scripts.ts, SEND_CLOCK):
 * Slack's per-channel pace is for chat.postMessage; chat.update is a method of its own (Tier 3).
 */

/** Which of a channel's clocks a call takes a turn on. */
export type PacedCall = 'post' | 'edit';

export interface ChannelPacer {
  /** Resolves when a call of this kind to `channel` may go out, and counts it as going out then. */
  turn(channel: string, call: PacedCall): Promise<void>;
}

/** Creates a pacer; `minGapMs` is Slack's per-channel pace (about one message a second), per kind of call. */
export function createChannelPacer(options: {
  minGapMs: number;
  now?: () => number;
  sleep?: (ms: number) => Promise<void>;
}): ChannelPacer {
  const now = options.now ?? (() => performance.now());
  const sleep = options.sleep ?? ((ms: number) => new Promise<void>((r) => setTimeout(r, ms)));
  const next = new Map<string, number>();
  return {
    async turn(channel, call) {
      const slot = `${call} ${channel}`;
      const at = next.get(slot) ?? 0;
      // Claim the slot before waiting, so concurrent callers queue up behind each other.
      const start = Math.max(at, now());
      next.set(slot, start + options.minGapMs);
      if (next.size > 10_000) for (const [key, until] of next) if (until < now()) next.delete(key);
      const wait = start - now();
      if (wait > 0) await sleep(Math.ceil(wait));
    },
  };
}
