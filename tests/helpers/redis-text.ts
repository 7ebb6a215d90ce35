/** Every value a Redis holds, as one text, to look for something that must not be kept there. */
import type { RedisClient } from '../../src/jobs/redis-client.ts';

export async function readAllRedisText(redis: RedisClient): Promise<string> {
  const parts: string[] = [];
  for (const key of await redis.keys('*')) {
    const type = await redis.type(key);
    if (type === 'string') parts.push(String(await redis.getBuffer(key)));
    else if (type === 'hash') parts.push(JSON.stringify(await redis.hgetall(key)));
    else if (type === 'list') parts.push(JSON.stringify(await redis.lrange(key, 0, -1)));
    else if (type === 'set') parts.push(JSON.stringify(await redis.smembers(key)));
    else if (type === 'zset') parts.push(JSON.stringify(await redis.zrange(key, '0', '-1')));
    else if (type === 'stream') parts.push(JSON.stringify(await redis.call('XRANGE', key, '-', '+')));
  }
  return parts.join('\n');
}
