/**
 * How late a queue's earliest delayed job is. BullMQ moves a due job on to be worked only when a worker of its queue
 * fetches one, so a queue that no worker serves (all stopped, or every slot busy) keeps its due jobs `delayed`, not
 * `waiting`: a count of waiting jobs never shows it, this does.
 */
import type { Queue } from 'bullmq';
import type { RedisClient } from './redis-client.ts';

/** BullMQ scores a delayed job `dueMs * 0x1000 + counter` (getDelayedScore.lua). */
const SCORE_SCALE = 0x1000;

/** Milliseconds the earliest delayed job of `queue` is past its time; 0 when none is due. */
export async function readDelayedOverdueMs(redis: RedisClient, queue: Queue, now: number): Promise<number> {
  const key = queue.keys.delayed;
  if (key === undefined) return 0;
  const [, score] = await redis.zrange(key, '0', '0', 'WITHSCORES');
  if (score === undefined) return 0;
  return Math.max(0, now - Math.floor(Number(score) / SCORE_SCALE));
}
