/** Whether the outbox holds a commit its relay group has not delivered yet (read, or read and not acknowledged). */
import type { RedisClient } from '../../jobs/redis-client.ts';

/** Reads one `XINFO` reply (a flat field/value list) into a map. */
function fields(reply: unknown): Map<string, unknown> {
  const list = reply as unknown[];
  const map = new Map<string, unknown>();
  for (let i = 0; i + 1 < list.length; i += 2) map.set(String(list[i]), list[i + 1]);
  return map;
}

/** True while `group` of `stream` has entries still to deliver; false for a stream or group not made yet. */
export async function outboxUndelivered(redis: RedisClient, stream: string, group: string): Promise<boolean> {
  if ((await redis.exists(stream)) === 0) return false;
  const last = fields(await redis.xinfo('STREAM', stream)).get('last-generated-id');
  const groups = ((await redis.xinfo('GROUPS', stream)) as unknown[]).map(fields);
  const mine = groups.find((g) => g.get('name') === group);
  if (mine === undefined) return last !== '0-0';
  return Number(mine.get('pending') ?? 0) > 0 || mine.get('last-delivered-id') !== last;
}
