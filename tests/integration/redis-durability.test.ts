import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { checkRedisDurability } from '../../src/infra/redis/redis-durability.ts';
import { startTestRedis, type TestRedis } from '../helpers/redis-server.ts';

let server: TestRedis;
let admin: Redis;
beforeAll(async () => {
  server = await startTestRedis();
  admin = new Redis(server.url);
});
afterAll(async () => {
  admin.disconnect();
  await server.stop();
});

describe('the Redis durability check', () => {
  it('finds nothing on a Redis that keeps everything (noeviction, append-only file)', async () => {
    expect(await checkRedisDurability(admin)).toEqual([]);
  });

  it('says it could not check when Redis refuses CONFIG, as managed Redis often does', async () => {
    await admin.call('ACL', 'SETUSER', 'app', 'on', '>app-password', '~*', '&*', '+@all', '-config');
    const limited = new Redis(server.url, { username: 'app', password: 'app-password' });
    try {
      const findings = await checkRedisDurability(limited);
      expect(findings).toHaveLength(1);
      expect(findings[0]?.setting).toBe('config');
      expect(findings[0]?.message).toMatch(
        /^could not read the Redis configuration \(NOPERM .*\); make sure it runs with maxmemory-policy noeviction and appendonly yes, or deployments can be lost$/,
      );
    } finally {
      limited.disconnect();
    }
  });
});
