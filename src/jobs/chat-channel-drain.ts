/**
 * Sends one channel's queue in order while this process holds the channel's lease. The head is removed only
 * after `sent` or `drop`; `rate-limited` and `retry` hold the channel in Redis and send the same head again;
 * `unsure` (a post that may have gone out could not be looked up) parks only that post, with a backoff of its
 * own, and `refused` (the channel refuses Preflight until a person fixes it) shuts the head's thread, with a
 * backoff of its own, while the rest of the channel goes on (chat-send-pick.ts says what waits).
 */
import type { ChatSendStore, WaitClocks } from './chat-send-store.ts';
import type { ChatDelivery, ChatSendLogger, ChatSendQueueDeps, SendOutcome } from './chat-send-types.ts';

const RETRY_BASE_MS = 250;
const REDIS_PAUSE_MS = 500;
const SETTLE_TRIES = 20;

export interface ChannelDrainDeps {
  readonly store: ChatSendStore;
  readonly owner: string;
  readonly leaseMs: number;
  readonly maxRetryDelayMs: number;
  /** How long a thread the channel refused waits before it is tried again: the first time, and at most. */
  readonly refusedWaits: { readonly firstMs: number; readonly maxMs: number };
  readonly send: (delivery: ChatDelivery) => Promise<SendOutcome>;
  readonly minIntervalMs: (channel: string) => number;
  readonly log: ChatSendLogger;
  readonly observe?: ChatSendQueueDeps['observe'];
}

export interface DrainControl {
  /** False once the queue stops: the loop finishes what it is sending and returns. */
  active(): boolean;
  /** True (once) when new work was announced while the loop ran, so an empty list is looked at again. */
  takeAgain(): boolean;
  /**
   * Waits `ms`; new work announced meanwhile ends the wait, but not before the clock of its kind (`clocksMs`):
   * looking earlier could only find it waiting.
   */
  sleep(ms: number, clocksMs?: WaitClocks): Promise<void>;
}

interface QueuedItem {
  readonly kind: 'post' | 'refresh';
  readonly key: string;
  readonly payload: unknown;
  /** When it was queued (ms); absent on items queued before it was recorded. */
  readonly at?: number;
  /** The deployment or incident whose thread it belongs to. */
  readonly thread?: string;
}

/** The deliveries merged into the head, as the sender gets them (malformed ones are left out). */
function parseMerged(merged: readonly string[]): { key: string; payload: unknown }[] {
  return merged
    .map(parseItem)
    .filter((item): item is QueuedItem => item !== undefined)
    .map(({ key, payload }) => ({ key, payload }));
}

function parseItem(head: string): QueuedItem | undefined {
  try {
    const item = JSON.parse(head) as Partial<QueuedItem> | null;
    if (item && (item.kind === 'post' || item.kind === 'refresh') && typeof item.key === 'string') {
      return {
        kind: item.kind,
        key: item.key,
        payload: item.payload,
        ...(typeof item.at === 'number' && { at: item.at }),
        ...(typeof item.thread === 'string' && { thread: item.thread }),
      };
    }
  } catch {
    // a malformed item is reported and dropped by the caller
  }
  return undefined;
}

/** Exponential backoff with equal jitter: half fixed, half random, capped. */
function computeRetryDelay(failedAttempts: number, capMs: number): number {
  const ceiling = Math.min(capMs, RETRY_BASE_MS * 2 ** failedAttempts);
  return ceiling / 2 + (Math.random() * ceiling) / 2;
}

async function callSender(deps: ChannelDrainDeps, delivery: ChatDelivery): Promise<SendOutcome> {
  try {
    return await deps.send(delivery);
  } catch (error) {
    deps.log.error(
      { err: error, channel: delivery.channel, key: delivery.key },
      'chat sender threw; retrying',
    );
    return { status: 'retry', reason: error instanceof Error ? error.message : String(error) };
  }
}

/** Records an outcome, retrying Redis a while: losing it would mean sending the head twice. */
async function settle<T>(deps: ChannelDrainDeps, write: () => Promise<T>): Promise<T> {
  for (let attempt = 1; ; attempt++) {
    try {
      return await write();
    } catch (error) {
      if (attempt >= SETTLE_TRIES) throw error;
      deps.log.warn({ err: error, attempt }, 'chat queue: could not record a send outcome; retrying');
      // A plain timer, not control.sleep: stopping must still record the outcome of the last send.
      await new Promise((resolve) => setTimeout(resolve, REDIS_PAUSE_MS));
    }
  }
}

async function sendHead(
  channel: string,
  { head, attempts, merged }: { head: string; attempts: number; merged: readonly string[] },
  deps: ChannelDrainDeps,
): Promise<void> {
  const item = parseItem(head);
  if (!item) {
    deps.log.error({ channel, head: head.slice(0, 200) }, 'malformed chat queue item dropped');
    return await settle(deps, () => deps.store.complete(channel, 'post', head, 'drop'));
  }
  const also = parseMerged(merged);
  const delivery: ChatDelivery = {
    channel,
    kind: item.kind,
    key: item.key,
    payload: item.payload,
    ...(also.length > 0 && { also }),
  };
  const sending = callSender(deps, delivery);
  // The send has started: the next one of its kind in this channel, in any process, waits from now.
  await deps.store
    .markSending(channel, item.kind)
    .catch((error: unknown) =>
      deps.log.warn({ err: error, channel }, 'chat queue: could not mark send start'),
    );
  const outcome = await sending;
  if (outcome?.status !== undefined)
    deps.observe?.(
      channel.split(':')[0] ?? '',
      outcome.status,
      Date.now() - (item.at ?? Date.now()),
      'reason' in outcome ? outcome.reason : undefined,
    );
  const where = { channel, key: item.key, kind: item.kind };
  // A deferred refresh is queued again: later refreshes coalesce into it. A post is not: it may have gone out with
  // what it rendered then, and its retry may find that one (post-once.ts), so a change queued meanwhile must stay
  // an edit of its own, sent once the post is settled.
  const refreshKey = item.kind === 'refresh' ? item.key : '';
  switch (outcome?.status) {
    case 'sent':
      return await settle(deps, () => deps.store.complete(channel, item.kind, head, 'sent', merged));
    case 'refused': {
      const { thread } = item;
      if (thread !== undefined) {
        const waitMs = await settle(deps, () =>
          deps.store.refuse(channel, head, thread, deps.refusedWaits, refreshKey),
        );
        deps.log.warn(
          { ...where, reason: outcome.reason, retryInMs: waitMs },
          'chat channel refuses this thread: it waits, in order, and is tried again; the rest of the channel goes on',
        );
        return;
      }
      deps.log.error({ ...where, reason: outcome.reason }, 'chat message dropped');
      return await settle(deps, () => deps.store.complete(channel, item.kind, head, 'drop', merged));
    }
    case 'drop':
      if (outcome.quiet) {
        // Said once already (a thread known to take no more posts): each later reply is not logged again.
      } else if (outcome.stale)
        deps.log.info({ ...where, reason: outcome.reason }, 'chat message no longer applies');
      else deps.log.error({ ...where, reason: outcome.reason }, 'chat message dropped');
      return await settle(deps, () =>
        deps.store.complete(channel, item.kind, head, outcome.untried ? 'untried' : 'drop', merged),
      );
    case 'rate-limited': {
      const valid = Number.isFinite(outcome.retryAfterMs) && outcome.retryAfterMs >= 0;
      const holdMs = valid ? outcome.retryAfterMs : computeRetryDelay(attempts, deps.maxRetryDelayMs);
      deps.log.warn({ ...where, retryAfterMs: holdMs }, 'chat channel rate-limited; waiting');
      return await settle(deps, () => deps.store.defer(channel, head, holdMs, !valid, refreshKey));
    }
    case 'unsure': {
      // Only a post can be in doubt; an edit saying so is retried as any failed edit.
      const backoffMs = computeRetryDelay(attempts, deps.maxRetryDelayMs);
      if (item.kind !== 'post')
        return await settle(deps, () => deps.store.defer(channel, head, backoffMs, true, refreshKey));
      const asked = outcome.retryAfterMs ?? 0;
      const delayMs = Math.max(backoffMs, Number.isFinite(asked) ? asked : 0);
      deps.log.warn(
        { ...where, reason: outcome.reason, attempt: attempts + 1, delayMs },
        'chat post in doubt: looking it up again later; the rest of the channel goes on',
      );
      return await settle(deps, () => deps.store.park(channel, head, delayMs, merged));
    }
    case 'retry': {
      const delayMs = computeRetryDelay(attempts, deps.maxRetryDelayMs);
      deps.log.warn(
        { ...where, reason: outcome.reason, attempt: attempts + 1, delayMs },
        'chat send failed; retrying',
      );
      return await settle(deps, () => deps.store.defer(channel, head, delayMs, true, refreshKey));
    }
    default: {
      const delayMs = computeRetryDelay(attempts, deps.maxRetryDelayMs);
      deps.log.error({ ...where, outcome }, 'chat sender returned no outcome; retrying');
      return await settle(deps, () => deps.store.defer(channel, head, delayMs, true, refreshKey));
    }
  }
}

/** Drains `channel` until it is empty, another process holds it, or the queue stops. */
export async function drainChannel(
  channel: string,
  deps: ChannelDrainDeps,
  control: DrainControl,
): Promise<void> {
  while (control.active()) {
    try {
      const claim = await deps.store.claim(channel, deps.owner, deps.leaseMs, deps.minIntervalMs(channel));
      if (claim.status === 'busy') return;
      if (claim.status === 'empty') {
        if (control.takeAgain()) continue;
        return;
      }
      if (claim.status === 'wait') await control.sleep(claim.waitMs, claim.clocksMs);
      else await sendHead(channel, claim, deps);
    } catch (error) {
      deps.log.warn({ err: error, channel }, 'chat queue: Redis unavailable; retrying');
      await control.sleep(REDIS_PAUSE_MS);
    }
  }
}
