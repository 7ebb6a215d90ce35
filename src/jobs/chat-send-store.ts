/**
 * Typed operations of the chat send queue on Redis; the atomic parts are the scripts of chat-send-scripts.ts and
 * chat-send-hold-scripts.ts.
 */
import { randomUUID } from 'node:crypto';
import { DEFER, PARK, REFUSE } from './chat-send-hold-scripts.ts';
import { chatChannelKeys, chatPostedKey, chatWakeChannel } from './chat-send-keys.ts';
import { REFUSED_FIELD } from './chat-send-pick.ts';
import {
  type ChatScript,
  CLAIM,
  COMPLETE,
  ENQUEUE,
  MARK_SENDING,
  RELEASE_LEASE,
  RENEW_LEASE,
} from './chat-send-scripts.ts';
import type { ChatDelivery } from './chat-send-types.ts';
import type { RedisClient } from './redis-client.ts';

/** Posted keys are remembered this long, so at-least-once producers don't double-post. */
const POST_DEDUPE_TTL_S = 3 * 24 * 3600;

/** Ms until a post, and an edit, may be sent in a channel. */
export interface WaitClocks {
  readonly post: number;
  readonly refresh: number;
}

/** What CLAIM answered: `go` carries the raw head (compared again on complete/defer) and its failed attempts. */
export type ChatClaim =
  | { readonly status: 'busy' }
  | { readonly status: 'empty' }
  | {
      readonly status: 'wait';
      readonly waitMs: number;
      /** Until each of the channel's clocks (posts, edits): nothing of that kind queued meanwhile can go before. */
      readonly clocksMs: WaitClocks;
    }
  | { readonly status: 'go'; readonly head: string; readonly attempts: number; readonly merged: string[] };

export interface ChatSendStore {
  /** True when queued, false when coalesced or deduplicated. */
  enqueue(delivery: ChatDelivery): Promise<boolean>;
  /** Several, queued in their order in one round trip (a commit's step result and status edit); each as enqueue. */
  enqueueAll(deliveries: readonly ChatDelivery[]): Promise<boolean[]>;
  claim(channel: string, owner: string, leaseMs: number, minIntervalMs: number): Promise<ChatClaim>;
  /** Moves the channel's clock for `kind` (posts and edits are paced apart) to the start of this send. */
  markSending(channel: string, kind: ChatDelivery['kind']): Promise<void>;
  /**
   * Removes the head (of `kind`) and the items merged into it, once it was sent or dropped; `untried`: dropped
   * without a request to the platform, so the channel's clock is given back its turn.
   */
  complete(
    channel: string,
    kind: ChatDelivery['kind'],
    head: string,
    outcome: 'sent' | 'drop' | 'untried',
    merged?: readonly string[],
  ): Promise<void>;
  defer(channel: string, head: string, holdMs: number, failed: boolean, refreshKey: string): Promise<void>;
  /**
   * Keeps an item the channel refused and shuts its thread for a growing wait (firstMs, doubling, up to maxMs);
   * the channel goes on. Resolves to that wait, or undefined when the head was no longer queued.
   */
  refuse(
    channel: string,
    head: string,
    thread: string,
    waits: { readonly firstMs: number; readonly maxMs: number },
    refreshKey: string,
  ): Promise<number | undefined>;
  /** Keeps a post in doubt (with the items merged into it) out of the pick for holdMs; the channel goes on. */
  park(channel: string, head: string, holdMs: number, merged?: readonly string[]): Promise<void>;
  renewLease(channel: string, owner: string, leaseMs: number): Promise<boolean>;
  releaseLease(channel: string, owner: string): Promise<void>;
  /** Channels that may have queued items. */
  listChannels(): Promise<string[]>;
  /** Items queued in one channel (the one being sent included). */
  queueLength(channel: string): Promise<number>;
  /** Whether the channel refuses the thread now (REFUSE set it; a post that went out since cleared it). */
  isRefused(channel: string, thread: string): Promise<boolean>;
  /**
   * Whether the channel refuses every thread now: it refused one (REFUSE) that it does not refuse alone, and no post
   * went out there since (COMPLETE marks such records `afterSent`).
   */
  isChannelRefused(channel: string): Promise<boolean>;
}

type ScriptCaller = (...keysAndArgs: (string | number)[]) => Promise<unknown>;

/** Defines the script on the connection on first use; a pipeline has it only if made after that. */
function define(redis: RedisClient, script: ChatScript): void {
  if (!(redis as unknown as Record<string, ScriptCaller | undefined>)[script.name])
    redis.defineCommand(script.name, { numberOfKeys: script.keys, lua: script.lua });
}

/** The defined script's command on `target`: the connection or a pipeline of it. */
function commandOn(target: object, script: ChatScript): ScriptCaller {
  const call = (target as Record<string, ScriptCaller | undefined>)[script.name];
  if (!call) throw new Error(`script ${script.name} could not be defined`);
  return call.bind(target);
}

function run(redis: RedisClient, script: ChatScript, keysAndArgs: (string | number)[]): Promise<unknown> {
  define(redis, script);
  return commandOn(redis, script)(...keysAndArgs);
}

function parseClaim(reply: unknown): ChatClaim {
  const [status, first, second, ...merged] = reply as [string, unknown?, unknown?, ...unknown[]];
  if (status === 'busy') return { status };
  if (status === 'empty') return { status };
  if (status === 'wait') {
    const [post, refresh] = [second, merged[0]].map((ms) => Number(ms ?? 0) || 0) as [number, number];
    return { status, waitMs: Number(first), clocksMs: { post, refresh } };
  }
  if (status === 'go')
    return { status, head: String(first), attempts: Number(second), merged: merged.map(String) };
  throw new Error(`unexpected claim reply ${JSON.stringify(reply)}`);
}

/** The enqueue script's keys and arguments for one delivery. */
function enqueueArgs(prefix: string, delivery: ChatDelivery): (string | number)[] {
  const k = chatChannelKeys(prefix, delivery.channel);
  // The id makes every queued item unique, so complete/defer never act on a look-alike. The header comes before the
  // payload: the pick (chat-send-pick.ts) decodes only the header.
  const item = JSON.stringify({
    id: randomUUID(),
    kind: delivery.kind,
    key: delivery.key,
    at: Date.now(),
    ...(delivery.urgent && { urgent: true }),
    ...(delivery.thread !== undefined && { thread: delivery.thread }),
    ...(delivery.mergeable && { merge: true }),
    ...(delivery.root && { root: true }),
    ...(delivery.supersedes !== undefined && { supersedes: delivery.supersedes }),
    payload: delivery.payload,
  });
  const posted = chatPostedKey(prefix, delivery.channel, delivery.key);
  return [
    ...[k.queue, k.channels, k.refreshes, posted, k.state, k.urgent],
    item,
    delivery.kind,
    delivery.key,
    delivery.channel,
    POST_DEDUPE_TTL_S,
    chatWakeChannel(prefix),
    delivery.kind === 'post' && delivery.urgent ? (delivery.thread ?? '') : '',
    k.threadPrefix,
    delivery.kind === 'post' ? (delivery.supersedes ?? '') : '',
  ];
}

/** The store over one command connection. */
export function createChatSendStore(redis: RedisClient, prefix: string): ChatSendStore {
  const keys = (channel: string) => chatChannelKeys(prefix, channel);
  const enqueueOne = async (delivery: ChatDelivery) =>
    (await run(redis, ENQUEUE, enqueueArgs(prefix, delivery))) === 1;
  return {
    enqueue: (delivery) => enqueueOne(delivery),
    async enqueueAll(deliveries) {
      if (deliveries.length <= 1) return Promise.all(deliveries.map(enqueueOne));
      define(redis, ENQUEUE);
      const batch = redis.pipeline();
      const enqueue = commandOn(batch, ENQUEUE);
      for (const delivery of deliveries) void enqueue(...enqueueArgs(prefix, delivery));
      const replies = (await batch.exec()) ?? [];
      return replies.map(([error, reply]) => {
        if (error) throw error;
        return reply === 1;
      });
    },
    async claim(channel, owner, leaseMs, minIntervalMs) {
      const k = keys(channel);
      const reply = await run(redis, CLAIM, [
        ...[k.queue, k.channels, k.lease, k.state, k.refreshes, k.urgent],
        ...[owner, Math.ceil(leaseMs), Math.max(0, minIntervalMs), channel, k.threadPrefix],
      ]);
      return parseClaim(reply);
    },
    async markSending(channel, kind) {
      await run(redis, MARK_SENDING, [keys(channel).state, kind]);
    },
    async complete(channel, kind, head, outcome, merged = []) {
      const k = keys(channel);
      await run(redis, COMPLETE, [
        k.queue,
        k.state,
        k.urgent,
        kind,
        head,
        outcome,
        k.threadPrefix,
        ...merged,
      ]);
    },
    async refuse(channel, head, thread, waits, refreshKey) {
      const k = keys(channel);
      const args = [head, thread, Math.ceil(waits.firstMs), Math.ceil(waits.maxMs), refreshKey];
      const waitMs = Number(await run(redis, REFUSE, [k.queue, k.state, k.refreshes, ...args]));
      return waitMs >= 0 ? waitMs : undefined;
    },
    async defer(channel, head, holdMs, failed, refreshKey) {
      const k = keys(channel);
      await run(redis, DEFER, [
        k.queue,
        k.state,
        k.refreshes,
        head,
        Math.ceil(holdMs),
        failed ? 1 : 0,
        refreshKey,
      ]);
    },
    async park(channel, head, holdMs, merged = []) {
      const k = keys(channel);
      await run(redis, PARK, [k.queue, k.state, head, Math.ceil(holdMs), ...merged]);
    },
    async renewLease(channel, owner, leaseMs) {
      return (await run(redis, RENEW_LEASE, [keys(channel).lease, owner, Math.ceil(leaseMs)])) === 1;
    },
    async releaseLease(channel, owner) {
      const k = keys(channel);
      await run(redis, RELEASE_LEASE, [k.lease, k.queue, owner, channel, chatWakeChannel(prefix)]);
    },
    async listChannels() {
      return await redis.smembers(keys('').channels);
    },
    async queueLength(channel) {
      return await redis.llen(keys(channel).queue);
    },
    async isRefused(channel, thread) {
      // An urgent post queued in the thread marks it due (ENQUEUE) before anything was refused: tries say it was.
      const raw = await redis.hget(keys(channel).state, `${REFUSED_FIELD}${thread}`);
      return refusedTries(raw) > 0;
    },
    async isChannelRefused(channel) {
      const state = await redis.hgetall(keys(channel).state);
      return Object.entries(state).some(([field, raw]) => field.startsWith(REFUSED_FIELD) && refusesAll(raw));
    },
  };
}

/** Whether a thread's refusal record (REFUSE) says the channel refuses everything: not this thread alone. */
function refusesAll(raw: string): boolean {
  if (refusedTries(raw) === 0) return false;
  const record = JSON.parse(raw) as { alone?: unknown; afterSent?: unknown };
  return record.alone !== true && record.afterSent !== true;
}

/** How often in a row the channel refused a thread, from its record (REFUSE); 0 when none or unreadable. */
function refusedTries(raw: string | null): number {
  if (raw === null) return 0;
  try {
    const tries = Number((JSON.parse(raw) as { tries?: unknown }).tries);
    return Number.isFinite(tries) ? tries : 0;
  } catch {
    return 0;
  }
}
