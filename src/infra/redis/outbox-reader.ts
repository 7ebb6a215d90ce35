/** Reads the commit outbox stream through a consumer group, so each entry is delivered until acknowledged. */

import {
  createKeySpace,
  type Effect,
  type IncidentEffect,
  type OutboxEntry,
  type OutboxSource,
} from '../../core/index.ts';
import type { RedisClient } from './redis-connector.ts';
import type { ReplicaAck } from './replica-ack.ts';

export type { OutboxEntry } from '../../core/index.ts';

export interface OutboxReaderDeps {
  /** A blocking read holds the connection: give the reader a connection of its own. */
  readonly redis: RedisClient;
  readonly prefix?: string;
  readonly group: string;
  readonly consumer: string;
  /** On `redis`: entries are handed out only once a replica holds them (and the commits before them). */
  readonly ack?: ReplicaAck;
}

/** The outbox source, read through a consumer group. */
export type OutboxReader = OutboxSource;

type RawEntry = [string, string[]] | null;

function toEntry(raw: RawEntry): OutboxEntry | undefined {
  if (raw === null) return undefined;
  const [streamId, list] = raw;
  const fields = new Map<string, string>();
  for (let i = 0; i + 1 < list.length; i += 2) fields.set(list[i] as string, list[i + 1] as string);
  const incidentId = fields.get('incident');
  const effects = JSON.parse(fields.get('effects') ?? '[]') as unknown[];
  return {
    streamId,
    deploymentId: fields.get('deployment') ?? '',
    revision: Number(fields.get('revision') ?? 0),
    ...(incidentId === undefined
      ? { effects: effects as Effect[] }
      : { incidentId, effects: [], incidentEffects: effects as IncidentEffect[] }),
  };
}

function toEntries(raws: readonly RawEntry[]): OutboxEntry[] {
  return raws.map(toEntry).filter((e): e is OutboxEntry => e !== undefined);
}

function hasCode(error: unknown, code: string): boolean {
  return error instanceof Error && error.message.startsWith(code);
}

/** Creates a reader of the outbox stream; the group is created (from the stream's start) on first use. */
export function createOutboxReader(deps: OutboxReaderDeps): OutboxReader {
  const { redis, group, consumer } = deps;
  const stream = createKeySpace(deps.prefix ?? 'pf:').outbox;
  let ready = false;

  async function ensureGroup(): Promise<void> {
    if (ready) return;
    try {
      await redis.xgroup('CREATE', stream, group, '0', 'MKSTREAM');
    } catch (error) {
      if (!hasCode(error, 'BUSYGROUP')) throw error;
    }
    ready = true;
  }

  /** Runs a group command, recreating the group once if the stream or group vanished. */
  async function withGroup<T>(run: () => Promise<T>): Promise<T> {
    await ensureGroup();
    try {
      return await run();
    } catch (error) {
      if (!hasCode(error, 'NOGROUP')) throw error;
      ready = false;
      await ensureGroup();
      return await run();
    }
  }

  /** New entries, after acknowledging `acked` in the same round trip when there are any. */
  async function readAfter(acked: readonly string[], blockMs: number, count: number): Promise<OutboxEntry[]> {
    const read = [
      'GROUP',
      group,
      consumer,
      'COUNT',
      count,
      'BLOCK',
      blockMs,
      'STREAMS',
      stream,
      '>',
    ] as const;
    const reply = await withGroup(async () => {
      if (acked.length === 0) return redis.xreadgroup(...read);
      const replies =
        (await redis
          .pipeline()
          .xack(stream, group, ...acked)
          .xreadgroup(...read)
          .exec()) ?? [];
      for (const [error] of replies) if (error) throw error;
      return replies[1]?.[1] as Awaited<ReturnType<typeof redis.xreadgroup>>;
    });
    if (!reply) return [];
    const streams = reply as [string, RawEntry[]][];
    const entries = streams.flatMap(([, raws]) => toEntries(raws));
    // The read itself was a write on this connection, after the commits it returns: WAIT covers them all.
    if (entries.length > 0) await deps.ack?.confirm(stream);
    return entries;
  }

  return {
    read: (blockMs, count) => readAfter([], blockMs, count),
    ackAndRead: readAfter,

    async ack(...streamIds) {
      if (streamIds.length === 0) return;
      await withGroup(() => redis.xack(stream, group, ...streamIds));
    },

    async reclaim(minIdleMs, count = 100) {
      const claimed: OutboxEntry[] = [];
      let cursor = '0-0';
      do {
        const reply = (await withGroup(() =>
          redis.xautoclaim(stream, group, consumer, minIdleMs, cursor, 'COUNT', count),
        )) as [string, RawEntry[], ...unknown[]];
        cursor = reply[0];
        claimed.push(...toEntries(reply[1]));
      } while (cursor !== '0-0' && claimed.length < count);
      return claimed;
    },
  };
}
