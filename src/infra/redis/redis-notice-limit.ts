/** NoticeLimit in Redis: one `SET … NX PX` per notice, under the installation's `seen:` keys. */
import { createKeySpace, type NoticeLimit } from '../../core/index.ts';
import type { RedisClient } from './redis-connector.ts';

export function createRedisNoticeLimit(deps: { redis: RedisClient; prefix: string }): NoticeLimit {
  const keys = createKeySpace(deps.prefix);
  return {
    async first(key, ms) {
      return (await deps.redis.set(keys.seen(`notice:${key}`), '1', 'PX', ms, 'NX')) === 'OK';
    },
  };
}
