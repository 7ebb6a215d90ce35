/** EmergencyRuns in Redis: one hash per service/environment holding the run under way (`id`, `who`), with expiry. */
import { createKeySpace, type EmergencyRuns } from '../../core/index.ts';
import type { RedisClient } from './redis-connector.ts';

/** KEYS: the run. ARGV: id, who, ms. '' when the run is (now or already) this one's, else the holder's who. */
const BEGIN = `local held = redis.call('HGET', KEYS[1], 'id')
if not held or held == ARGV[1] then
  redis.call('HSET', KEYS[1], 'id', ARGV[1], 'who', ARGV[2])
  redis.call('PEXPIRE', KEYS[1], ARGV[3])
  return ''
end
return redis.call('HGET', KEYS[1], 'who') or ''`;

/** KEYS: the run. ARGV: id. Deletes it when it is still this run's. */
const END = `if redis.call('HGET', KEYS[1], 'id') == ARGV[1] then return redis.call('DEL', KEYS[1]) end
return 0`;

export function createRedisEmergencyRuns(deps: { redis: RedisClient; prefix: string }): EmergencyRuns {
  const keys = createKeySpace(deps.prefix);
  const key = ({ service, environment }: { service: string; environment: string }) =>
    keys.emergencyStop(service, environment);
  return {
    async begin(target, run, ms) {
      const holder = String(await deps.redis.eval(BEGIN, 1, key(target), run.id, run.who, String(ms)));
      return holder === '' ? undefined : holder;
    },
    async holder(target) {
      const [id, who] = await deps.redis.hmget(key(target), 'id', 'who');
      return id ? (who ?? '') : undefined;
    },
    async end(target, runId) {
      await deps.redis.eval(END, 1, key(target), runId);
    },
  };
}
