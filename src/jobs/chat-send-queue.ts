/**
 * The outgoing chat queue every message goes through (design.md §8): a durable queue per channel in Redis, in
 * order within a thread and prompts first (chat-send-pick.ts), sent by whichever process holds the channel's
 * lease, never faster than the channel's minimum
 * interval across all processes (posts and edits each on their own clock), with 429 Retry-After honoured, 5xx retried with backoff, refreshes coalesced
 * and posts deduplicated. A post in doubt (it may have gone out, and looking it up failed) waits on its own and
 * holds up only what needs it, never the rest of the channel (chat-send-pick.ts); so does a thread the channel
 * refuses, which is kept and tried again until a person lets Preflight in. Processes wake on a pub/sub announcement; a slow scan picks up channels whose
 * process died once their lease expires. Key layout: chat-send-keys.ts.
 */
import { randomUUID } from 'node:crypto';
import { hostname } from 'node:os';
import { drainChannel } from './chat-channel-drain.ts';
import { chatWakeChannel } from './chat-send-keys.ts';
import { type ChatSendStore, createChatSendStore, type WaitClocks } from './chat-send-store.ts';
import type { ChatDelivery, ChatSendQueue, ChatSendQueueDeps } from './chat-send-types.ts';
import type { RedisClient } from './redis-client.ts';

export type {
  ChatDelivery,
  ChatSendLogger,
  ChatSendQueue,
  ChatSendQueueDeps,
  SendOutcome,
} from './chat-send-types.ts';

// A dead process holds its channels this long; renewed every third of it, so a live one never loses them.
const DEFAULT_LEASE_MS = 5_000;
const DEFAULT_MAX_RETRY_DELAY_MS = 60_000;
// A thread the channel refused is tried again after 10 s, 20 s, 40 s, then every minute (until a person fixes it).
const DEFAULT_REFUSED_FIRST_WAIT_MS = 10_000;
const DEFAULT_REFUSED_MAX_WAIT_MS = 60_000;
const MAX_SCAN_INTERVAL_MS = 1_000;
const IDLE_POLL_MS = 20;

interface ChannelRun {
  again: boolean;
  /** Told of new work in the channel, of one kind or (not told) of either: may end the loop's wait early. */
  wake?: (kind?: ChatDelivery['kind']) => void;
}

function checkDelivery(delivery: ChatDelivery): void {
  if (typeof delivery.channel !== 'string' || delivery.channel === '')
    throw new TypeError('chat delivery needs a channel');
  if (typeof delivery.key !== 'string' || delivery.key === '')
    throw new TypeError('chat delivery needs a key');
  if (delivery.kind !== 'post' && delivery.kind !== 'refresh')
    throw new TypeError(`unknown chat delivery kind ${String(delivery.kind)}`);
}

/** Creates the queue; connections open on first use and close on stop(). */
export function createChatSendQueue(deps: ChatSendQueueDeps): ChatSendQueue {
  const owner = `${hostname()}:${process.pid}:${randomUUID().slice(0, 8)}`;
  const leaseMs = deps.leaseMs ?? DEFAULT_LEASE_MS;
  const maxRetryDelayMs = deps.maxRetryDelayMs ?? DEFAULT_MAX_RETRY_DELAY_MS;
  const refusedMaxMs = deps.refusedWaits?.maxMs ?? DEFAULT_REFUSED_MAX_WAIT_MS;
  const refusedWaits = {
    firstMs: deps.refusedWaits?.firstMs ?? Math.min(DEFAULT_REFUSED_FIRST_WAIT_MS, refusedMaxMs),
    maxMs: refusedMaxMs,
  };
  let redis: RedisClient | undefined;
  let subscriber: RedisClient | undefined;
  let cachedStore: ChatSendStore | undefined;
  let running = false;
  // Bumped by stop(): loops of an earlier start() never resume after a quick stop/start.
  let generation = 0;
  let timers: NodeJS.Timeout[] = [];
  const runs = new Map<string, ChannelRun>();
  /** Channels whose lost lease was said, until it is held again or their run ends. */
  const saidLost = new Set<string>();
  const finishing = new Set<Promise<void>>();
  const sleepers = new Set<() => void>();

  const store = (): ChatSendStore => {
    redis ??= deps.connect();
    cachedStore ??= createChatSendStore(redis, deps.prefix);
    return cachedStore;
  };

  /**
   * Ends at `ms`, at once when the queue stops, and on an announcement (`run.wake`) once the clock of its kind (of
   * either kind when it is not told) is ready.
   */
  const sleep = (ms: number, run?: ChannelRun, clocksMs?: WaitClocks) =>
    new Promise<void>((resolve) => {
      if (!running) return resolve();
      const started = Date.now();
      const wake = () => {
        clearTimeout(timer);
        sleepers.delete(wake);
        if (run?.wake === announced) delete run.wake;
        resolve();
      };
      // An announcement only brings the end forward: one of the other kind never puts off an earlier one's.
      let due = started + ms;
      const announced = (kind?: ChatDelivery['kind']) => {
        const quietMs = !clocksMs ? 0 : kind ? clocksMs[kind] : Math.min(clocksMs.post, clocksMs.refresh);
        const at = started + Math.min(ms, quietMs);
        if (at >= due) return;
        due = at;
        if (at <= Date.now()) return wake();
        clearTimeout(timer);
        timer = setTimeout(wake, at - Date.now());
      };
      let timer = setTimeout(wake, ms);
      sleepers.add(wake);
      if (run) run.wake = announced;
    });

  const drainDeps = () => ({
    store: store(),
    owner,
    leaseMs,
    maxRetryDelayMs,
    refusedWaits,
    send: deps.send,
    minIntervalMs: deps.minIntervalMs,
    log: deps.log,
    ...(deps.observe && { observe: deps.observe }),
  });

  const releaseOnStop = async (channel: string, started: number) => {
    if (running && started === generation) return;
    await store()
      .releaseLease(channel, owner)
      .catch((error: unknown) =>
        deps.log.warn({ err: error, channel }, 'chat queue: could not release lease'),
      );
  };

  const serves = deps.serves ?? (() => true);
  const ensureDraining = (channel: string, kind?: ChatDelivery['kind']) => {
    if (!running || !serves(channel)) return;
    const existing = runs.get(channel);
    if (existing) {
      existing.again = true;
      // A loop waiting for one clock (say, the edit's) looks again: the new item may be ready on the other.
      existing.wake?.(kind);
      return;
    }
    const run: ChannelRun = { again: false };
    runs.set(channel, run);
    const started = generation;
    const control = {
      active: () => running && started === generation,
      takeAgain: () => {
        const again = run.again;
        run.again = false;
        return again;
      },
      sleep: (ms: number, clocksMs?: WaitClocks) => sleep(ms, run, clocksMs),
    };
    // Leaves the map in the same microtask chain as the last claim, so an announcement is never missed.
    const done = drainChannel(channel, drainDeps(), control)
      .catch((error: unknown) => deps.log.error({ err: error, channel }, 'chat queue: channel loop failed'))
      .finally(() => {
        runs.delete(channel);
        saidLost.delete(channel);
      })
      .then(() => releaseOnStop(channel, started))
      .finally(() => finishing.delete(done));
    finishing.add(done);
  };

  const scan = async () => {
    if (!running) return;
    try {
      for (const channel of await store().listChannels()) ensureDraining(channel);
    } catch (error) {
      deps.log.warn({ err: error }, 'chat queue: could not list channels; retrying');
    }
  };

  // While Redis is away a renewal waits for it: the next ones are not piled up behind it, and a lease found lost is
  // said once until it is held again.
  let renewing = false;
  const renewLeases = async () => {
    if (!running || renewing) return;
    renewing = true;
    try {
      await Promise.all(
        [...runs.keys()].map(async (channel) => {
          const kept = await store()
            .renewLease(channel, owner, leaseMs)
            .catch(() => true);
          if (kept || !runs.has(channel)) saidLost.delete(channel);
          else if (!saidLost.has(channel)) {
            saidLost.add(channel);
            deps.log.warn({ channel }, 'chat queue: channel lease lost or released');
          }
        }),
      );
    } finally {
      renewing = false;
    }
  };

  const subscribe = async () => {
    const connection = deps.connect();
    subscriber = connection;
    // `<channel>\n<kind>` from an enqueue; a bare channel (a lease given up, an older process) says no kind.
    connection.on('message', (_topic: string, message: string) => {
      const [channel = '', kind] = message.split('\n');
      ensureDraining(channel, kind === 'post' || kind === 'refresh' ? kind : undefined);
    });
    try {
      await connection.subscribe(chatWakeChannel(deps.prefix));
    } catch (error) {
      if (running) deps.log.warn({ err: error }, 'chat queue: could not subscribe; relying on the scan');
    }
  };

  const enqueueAll = async (deliveries: readonly ChatDelivery[]) => {
    for (const delivery of deliveries) checkDelivery(delivery);
    const queued = await store().enqueueAll(deliveries);
    deliveries.forEach((delivery, i) => {
      if (!queued[i] && delivery.kind === 'post')
        deps.log.info({ channel: delivery.channel, key: delivery.key }, 'duplicate chat post ignored');
    });
  };
  return {
    enqueue: (delivery) => enqueueAll([delivery]),
    enqueueAll,
    start() {
      if (running) return;
      running = true;
      void subscribe().then(scan);
      const scanMs = Math.min(MAX_SCAN_INTERVAL_MS, leaseMs / 2);
      timers = [setInterval(() => void scan(), scanMs), setInterval(() => void renewLeases(), leaseMs / 3)];
    },
    async stop() {
      running = false;
      generation++;
      for (const timer of timers) clearInterval(timer);
      timers = [];
      for (const wake of [...sleepers]) wake();
      while (finishing.size > 0) await Promise.all([...finishing]);
      const connections = [subscriber, redis];
      subscriber = undefined;
      redis = undefined;
      cachedStore = undefined;
      await Promise.all(connections.map((c) => c?.quit().catch(() => c.disconnect())));
    },
    async pending() {
      const channels = (await store().listChannels()).filter(serves);
      const lengths = await Promise.all(channels.map((channel) => store().queueLength(channel)));
      return lengths.reduce((sum, n) => sum + n, 0);
    },
    async depthByPlatform() {
      const channels = await store().listChannels();
      const lengths = await Promise.all(channels.map((channel) => store().queueLength(channel)));
      const depths: Record<string, number> = {};
      channels.forEach((channel, i) => {
        const platform = channel.split(':')[0] ?? '';
        depths[platform] = (depths[platform] ?? 0) + (lengths[i] ?? 0);
      });
      return depths;
    },
    async refusedThread(channel, thread) {
      return await store().isRefused(channel, thread);
    },
    async refusedChannel(channel) {
      return await store().isChannelRefused(channel);
    },
    async idle() {
      while ((await store().listChannels()).some(serves) || runs.size > 0) {
        await new Promise((resolve) => setTimeout(resolve, IDLE_POLL_MS));
      }
    },
  };
}
