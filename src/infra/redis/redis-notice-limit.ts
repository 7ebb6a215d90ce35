/** NoticeLimit in Redis: one `SET … NX PX` per notice, under the installation's `seen:` keys. */
import { randomUUID } from 'node:crypto';
import { createKeySpace, type NoticeLimit } from '../../core/index.ts';
import type { RedisClient } from './redis-connector.ts';

/** Deletes the notice's key only while it holds this taking's token (it may have expired and been taken again). */
const GIVE_BACK = `if redis.call('GET', KEYS[1]) == ARGV[1] then return redis.call('DEL', KEYS[1]) end return 0`;

export function createRedisNoticeLimit(deps: { redis: RedisClient; prefix: string }): NoticeLimit {
  const keys = createKeySpace(deps.prefix);
  return {
    async held(key) {
      return (await deps.redis.exists(keys.seen(`notice:${key}`))) > 0;
    },
    async take(key, ms) {
      const at = keys.seen(`notice:${key}`);
      const mine = randomUUID();
      if ((await deps.redis.set(at, mine, 'PX', ms, 'NX')) !== 'OK') return undefined;
      return {
        async giveBack() {
          await deps.redis.eval(GIVE_BACK, 1, at, mine);
        },
      };
    },
  };
}
