/**
 * A credential typed into a command: Slack has it, but Preflight keeps it nowhere in Redis once the command is
 * handled (the inbox keeps a handled request a day, to know a redelivery; the lock and its audit log keep the reason).
 */
import { beforeAll, describe, expect, it } from 'vitest';
import type { RedisClient } from '../../src/jobs/redis-client.ts';
import type { SlackHarness } from '../helpers/slack-harness.ts';
import { useSlackSuite } from '../helpers/slack-suite.ts';

const ANN = 'U0ANN0001';

const RUNBOOK = `version: 1
service: vault
timezone: UTC
environments: { production: { default: true }, staging: {} }
channels: { deploy: "#deployments", incident: "#incident-response" }
people:
  ann: { name: Ann, slack: ${ANN} }
permissions: { deploy: [ann], rollback: [ann] }
steps:
  - { id: build, title: Build, run: "true" }
escalation: { levels: [{ id: L1, notify: [ann], respond_within: 15m }] }
`;

const suite = useSlackSuite(RUNBOOK);
let h: SlackHarness;
beforeAll(() => {
  h = suite.h;
});

/** Every value Redis holds, as text. */
async function everything(redis: RedisClient): Promise<string> {
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

describe('a credential typed into a command', () => {
  it('is kept nowhere in Redis once the command is handled', async () => {
    const locked = await h.command(
      ANN,
      '/deploy lock vault staging db password=hunter2zz key AKIAIOSFODNN7EXAMPLE',
    );
    expect(locked.status).toBe(200);
    await h.waitFor(
      'the lock',
      async () => (await h.preflight.engine.store.lockHolder('vault', 'staging')) ?? undefined,
    );
    await h.waitFor('the inbox to be empty', async () => (await h.preflight.chat.inbox.pending()) === 0);
    await h.waitFor('the handled request masked', async () => {
      const stored = await everything(h.preflight.redis);
      return !stored.includes('hunter2zz') && !stored.includes('AKIAIOSFODNN7EXAMPLE') ? stored : undefined;
    });
    expect(await everything(h.preflight.redis)).toContain('db password=');
  });
});
