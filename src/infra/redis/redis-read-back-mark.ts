/**
 * The first read-back of reactions of each bot process at start (bot/first-read-backs.ts), shared in Redis: a page
 * that comes due in another process (a `preflight worker`, which reads no chat) waits for it as a page in the bot
 * does, so a 👀 given while the bot was down is applied before the next level is paged. Each bot's entry holds until
 * when it may be waited for (the bound from that bot's start), so a bot killed mid-read-back holds no page back for
 * longer; one that stops takes its entry away.
 */
import { randomUUID } from 'node:crypto';
import { hostname } from 'node:os';
import { createKeySpace, type Platform } from '../../core/index.ts';
import type { RedisClient } from './redis-connector.ts';

/** KEYS: the hash. ARGV: field, state, ms. Sets the field and keeps the hash at least `ms` longer. */
const PUBLISH = `redis.call('HSET', KEYS[1], ARGV[1], ARGV[2])
if redis.call('PTTL', KEYS[1]) < tonumber(ARGV[3]) then redis.call('PEXPIRE', KEYS[1], ARGV[3]) end
return 1`;

/** One bot's first read-back: the platforms not read back yet, when the last ended, until when it is waited for. */
export interface ReadBackState {
  readonly platforms: readonly Platform[];
  readonly endedAt?: number;
  readonly until: number;
}

/** What a page due now waits for (as bot/first-read-backs.ts says it). */
export interface ReadBackWait {
  readonly platforms: readonly Platform[];
  readonly endedAt?: number;
}

export interface ReadBackMark {
  /** This process's read-back now; undefined: nothing of it is waited for any longer. */
  publish(state: ReadBackState | undefined): Promise<void>;
  /** What a page due now waits for of the bots' read-backs, or undefined: nothing. */
  awaited(): Promise<ReadBackWait | undefined>;
}

function parse(raw: string): ReadBackState | undefined {
  try {
    const state = JSON.parse(raw) as Partial<ReadBackState>;
    if (typeof state.until !== 'number' || !Array.isArray(state.platforms)) return undefined;
    return state as ReadBackState;
  } catch {
    return undefined;
  }
}

export function createRedisReadBackMark(deps: {
  readonly redis: RedisClient;
  readonly prefix: string;
  readonly log: { info(obj: object, msg?: string): void };
}): ReadBackMark {
  const key = createKeySpace(deps.prefix).readingBack;
  const field = `${hostname()}:${process.pid}:${randomUUID().slice(0, 8)}`;
  let saidWaiting = false;
  return {
    async publish(state) {
      const ms = state === undefined ? 0 : state.until - Date.now();
      if (state === undefined || ms <= 0) {
        await deps.redis.hdel(key, field);
        return;
      }
      await deps.redis.eval(PUBLISH, 1, key, field, JSON.stringify(state), String(ms));
    },
    async awaited() {
      const now = Date.now();
      const states = Object.values(await deps.redis.hgetall(key)).flatMap((raw) => {
        const state = parse(raw);
        return state && state.until > now ? [state] : [];
      });
      if (states.length === 0) return undefined;
      const platforms = [...new Set(states.flatMap((s) => s.platforms))] as Platform[];
      if (platforms.length > 0) {
        if (!saidWaiting)
          deps.log.info(
            { platforms },
            'a page due waits for the bot to read back the reactions made while it was down',
          );
        saidWaiting = true;
        return { platforms };
      }
      const ended = states.flatMap((s) => (s.endedAt === undefined ? [] : [s.endedAt]));
      return { platforms, ...(ended.length > 0 && { endedAt: Math.max(...ended) }) };
    },
  };
}
