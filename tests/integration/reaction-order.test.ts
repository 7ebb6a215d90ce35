/** ReactionOrder on a real Redis: reactions of one key apply one at a time, in the order they were made. */
import { describe, expect, it } from 'vitest';
import { InboxRetry } from '../../src/core/index.ts';
import { createRedisReactionOrder } from '../../src/infra/redis/redis-reaction-order.ts';
import { useTestRedisClient } from '../helpers/redis-client-suite.ts';
import { createTestPrefix } from '../helpers/redis-server.ts';

const redis = useTestRedisClient();
const sleep = (ms: number) => new Promise<void>((r) => setTimeout(r, ms));

describe('the order of one person’s reactions on one message', () => {
  it('never applies two at once, and drops one made before the one applied last', async () => {
    const order = createRedisReactionOrder({ redis: redis.client(), prefix: createTestPrefix() });
    const applied: string[] = [];
    let running = 0;
    let overlapped = false;
    const apply = (name: string, ms: number) => async () => {
      running += 1;
      overlapped ||= running > 1;
      await sleep(ms);
      applied.push(name);
      running -= 1;
    };
    // The removal (made second) is handled first and takes a while; the ✅ (made first) arrives meanwhile.
    const [removal, addition] = await Promise.all([
      order.run('slack:C1:m1:U1:white_check_mark', 200, apply('removed', 150)),
      sleep(20).then(() => order.run('slack:C1:m1:U1:white_check_mark', 100, apply('added', 0))),
    ]);
    expect([removal, addition]).toEqual(['applied', 'overtaken']);
    expect(applied).toEqual(['removed']);
    expect(overlapped).toBe(false);
    // Another person, or a later reaction, is not held back.
    expect(await order.run('slack:C1:m1:U2:white_check_mark', 100, apply('other', 0))).toBe('applied');
    expect(await order.run('slack:C1:m1:U1:white_check_mark', 300, apply('again', 0))).toBe('applied');
    expect(applied).toEqual(['removed', 'other', 'again']);
  });

  it('lets a failed apply be tried again, and hands a reaction back to the inbox while another holds its key', async () => {
    const order = createRedisReactionOrder({ redis: redis.client(), prefix: createTestPrefix() });
    await expect(
      order.run('k', 100, async () => {
        throw new Error('Redis went away mid-commit');
      }),
    ).rejects.toThrow('Redis went away mid-commit');
    expect(await order.run('k', 100, async () => {})).toBe('applied');
    const holding = order.run('k2', 100, () => sleep(5_600));
    await sleep(50);
    await expect(order.run('k2', 200, async () => {})).rejects.toBeInstanceOf(InboxRetry);
    expect(await holding).toBe('applied');
  }, 15_000);

  it('hands the apply a read made once the lock is taken, so it sees what the reaction before it applied', async () => {
    const client = redis.client();
    const order = createRedisReactionOrder({ redis: client, prefix: createTestPrefix() });
    const state = `${createTestPrefix()}state`;
    await client.set(state, 'before');
    const seen: (string | null | undefined)[] = [];
    const read = () => client.get(state);
    // The first holds the key while it writes; the second asks meanwhile and must read what the first wrote.
    const first = order.run(
      'k',
      100,
      async (current) => {
        seen.push(current);
        await sleep(100);
        await client.set(state, 'after the first');
      },
      read,
    );
    await sleep(20);
    const second = order.run(
      'k',
      200,
      async (current) => {
        seen.push(current);
      },
      read,
    );
    expect(await Promise.all([first, second])).toEqual(['applied', 'applied']);
    expect(seen).toEqual(['before', 'after the first']);
  });
});
