/** The contract of the outgoing chat queue: what producers enqueue and what the sender answers. */

import type { ChatDelivery, SendOutcome } from '../core/index.ts';
import type { RedisClient } from './redis-client.ts';

export type { ChatDelivery, SendOutcome } from '../core/index.ts';

export interface ChatSendQueue {
  /** Queues durably (atomic in Redis); resolves once stored. A coalesced refresh or a duplicate post is a no-op. */
  enqueue(delivery: ChatDelivery): Promise<void>;
  /** Several, in their order, in one round trip; each as `enqueue`. */
  enqueueAll(deliveries: readonly ChatDelivery[]): Promise<void>;
  /** Starts draining: this process sends for every channel whose lease it can take. */
  start(): void;
  /** Lets in-flight sends finish, records their outcome, releases the leases and closes the connections. */
  stop(): Promise<void>;
  /** Resolves when nothing is queued or being sent (tests and the terminal demo wait on it). */
  idle(): Promise<void>;
  /** Messages queued (or being sent) in the channels this process serves, without waiting. */
  pending(): Promise<number>;
  /** Messages queued in every channel, by platform (for /metrics). */
  depthByPlatform(): Promise<Record<string, number>>;
  /** Whether the channel refuses Preflight's posts in this thread now: they wait, and are tried again. */
  refusedThread(channel: string, thread: string): Promise<boolean>;
  /** Whether the channel refuses Preflight's posts in every thread now (a thread not posted there yet would wait too). */
  refusedChannel(channel: string): Promise<boolean>;
}

/** The subset of a pino logger the queue uses. */
export interface ChatSendLogger {
  info(o: object, m?: string): void;
  warn(o: object, m?: string): void;
  error(o: object, m?: string): void;
}

export interface ChatSendQueueDeps {
  /** Creates ioredis connections (one for commands, one for the wake-up subscription). */
  readonly connect: () => RedisClient;
  /** Key prefix, e.g. "pf:". */
  readonly prefix: string;
  readonly send: (delivery: ChatDelivery) => Promise<SendOutcome>;
  /**
   * Minimum gap between send starts in a channel, e.g. 1000 for Slack channels, 0 for the terminal; posts and
   * edits each keep it on a clock of their own (chat-send-scripts.ts, SEND_CLOCK).
   */
  readonly minIntervalMs: (channel: string) => number;
  readonly log: ChatSendLogger;
  /** Cap for the exponential backoff on 'retry' (default 60 s). */
  readonly maxRetryDelayMs?: number;
  /**
   * How long a thread the channel refused waits before it is tried again: first (default 10 s, or maxMs when
   * shorter), doubling up to maxMs (default 60 s).
   */
  readonly refusedWaits?: { readonly firstMs?: number; readonly maxMs?: number };
  /** Channels this process can send to (it has a connection to their platform); default: all. */
  readonly serves?: (channel: string) => boolean;
  /** How long a channel lease outlives a silent process (default 5 s); renewed every third of it. */
  readonly leaseMs?: number;
  /** Told every send's outcome, with how long the message waited since it was queued (ms), and why one failed. */
  readonly observe?: (
    platform: string,
    outcome: SendOutcome['status'],
    lagMs: number,
    reason?: string,
  ) => void;
}
