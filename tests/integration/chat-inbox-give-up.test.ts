import { expect, it } from 'vitest';
import { createRedactor } from '../../src/core/index.ts';
import { createChatInboxQueue } from '../../src/jobs/chat-inbox-queue.ts';
import { useTestRedisClients } from '../helpers/redis-clients.ts';
import { createTestPrefix } from '../helpers/redis-server.ts';
import { waitFor } from '../helpers/slack-harness.ts';

const { connect } = useTestRedisClients();

interface Line {
  readonly level: 'debug' | 'warn' | 'error';
  readonly obj: Record<string, unknown>;
  readonly msg: string | undefined;
}

it('says an entry failing on its last attempt was given up, and where it is kept', async () => {
  const lines: Line[] = [];
  const at = (level: Line['level']) => (obj: object, msg?: string) =>
    lines.push({ level, obj: obj as Record<string, unknown>, msg });
  const producer = connect();
  const inbox = createChatInboxQueue({
    connect,
    producer,
    prefix: createTestPrefix(),
    log: { debug: at('debug'), warn: at('warn'), error: at('error') },
    redactor: createRedactor({}),
    attempts: 3,
    backoffMs: 10,
  });
  inbox.serve('discord', async () => {
    throw new Error('Discord answered 500');
  });
  await inbox.record({
    platform: 'discord',
    id: 'interaction:give-up',
    userId: 'U1',
    channel: 'C1',
    event: { type: 'command', text: 'status toy-1' },
  });

  const given = await waitFor('the give-up line', () => lines.find((l) => l.level === 'error'));
  await inbox.close();

  expect(lines.filter((l) => l.msg === 'inbox entry failed; retrying').map((l) => l.obj.attempt)).toEqual([
    1, 2,
  ]);
  expect(given.msg).toBe('inbox entry given up after its last attempt');
  expect(given.obj).toMatchObject({ platform: 'discord', entry: 'interaction:give-up', attempt: 3 });
  expect(String(given.obj.advice)).toMatch(/stays 7 days in Redis: `ZRANGE .+:failed 0 -1` lists/);
  // What the line names is where the entry is.
  const failed = await producer.zrange(String(given.obj.failedSet), 0, -1);
  expect(failed).toHaveLength(1);
  const job = await producer.hgetall(String(given.obj.job));
  expect(job.failedReason).toBe('Discord answered 500');
  expect(`${String(given.obj.failedSet).replace(/failed$/, '')}${failed[0]}`).toBe(given.obj.job);
}, 30_000);
