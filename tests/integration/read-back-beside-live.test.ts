/**
 * The read-back after a gap beside the reactions heard live: what it finds of a reaction also heard since the gap
 * ended comes before the live ones in the reaction order (real Redis), so a live reaction handled after the
 * read-back's entry still takes effect and its person is answered; what it finds of one not heard live comes after
 * every reaction heard before it read.
 */
import { describe, expect, it } from 'vitest';
import { catchUpReactions } from '../../src/bot/catch-up-reactions.ts';
import { createLiveReactions } from '../../src/bot/live-reactions.ts';
import type { OpenPrompt } from '../../src/bot/open-prompts.ts';
import type { InboxEntry } from '../../src/core/index.ts';
import { createRedisReactionOrder } from '../../src/infra/redis/redis-reaction-order.ts';
import { useTestRedisClient } from '../helpers/redis-client-suite.ts';
import { createTestPrefix } from '../helpers/redis-server.ts';

const redis = useTestRedisClient();
const gate: OpenPrompt = {
  ref: { platform: 'discord', channel: 'T1', id: 'gate-1' },
  emoji: ['white_check_mark', 'x'],
};
const live = (userId: string, added: boolean, at: number): InboxEntry => ({
  platform: 'discord',
  id: `reaction:${userId}:${at}`,
  userId,
  channel: 'T1',
  event: { type: 'reaction', messageId: 'gate-1', emoji: 'white_check_mark', added, at },
});
const nowMicros = () => Date.now() * 1000;
const quiet = (entries: InboxEntry[], userId: string) =>
  entries.find((e) => e.userId === userId && e.event.type === 'reaction' && e.event.quiet === true);

async function readBack(heard: InboxEntry[], onMessage: string[], gapEnded: number) {
  const reactions = createLiveReactions();
  const recorded: InboxEntry[] = [];
  const inbox = reactions.hearing({ record: async (entry) => void recorded.push(entry) });
  for (const entry of heard) await inbox.record(entry);
  await catchUpReactions(
    {
      platform: 'discord',
      inbox,
      prompts: async () => [gate],
      read: async () => onMessage.map((userId) => ({ emoji: 'white_check_mark', userId })),
      live: reactions,
      log: { info: () => {}, warn: () => {} },
    },
    new Set(),
    gapEnded,
  );
  return recorded;
}

describe('a reaction read back after a gap and heard live as well', () => {
  it('leaves the live one to take effect and be answered, whichever is handled first', async () => {
    const order = createRedisReactionOrder({ redis: redis.client(), prefix: createTestPrefix() });
    const gapEnded = nowMicros() - 5_000_000;
    // Erin (no approver) takes her ✅ off and puts it on again after the connection came back; the read-back
    // finds it on the message before either is handled.
    const heard = [live('erin', false, gapEnded + 1_000_000), live('erin', true, gapEnded + 2_000_000)];
    const recorded = await readBack(heard, ['erin'], gapEnded);
    const entry = quiet(recorded, 'erin');
    if (entry?.event.type !== 'reaction' || entry.event.at === undefined)
      throw new Error('nothing read back');

    const key = 'discord:T1:gate-1:erin:white_check_mark';
    const applied: string[] = [];
    const handle = async (e: InboxEntry) => {
      if (e.event.type !== 'reaction' || e.event.at === undefined) throw new Error('not a reaction');
      const name = e.event.quiet ? 'read back (quiet)' : e.event.added ? 'added (answered)' : 'removed';
      return order.run(key, e.event.at, async () => void applied.push(name));
    };
    expect(await handle(entry)).toBe('applied');
    expect(await handle(heard[0] as InboxEntry)).toBe('applied');
    expect(await handle(heard[1] as InboxEntry)).toBe('applied');
    expect(applied).toEqual(['read back (quiet)', 'removed', 'added (answered)']);
  });

  it('comes after every reaction heard before it read one not heard since the gap', async () => {
    const before = nowMicros();
    const recorded = await readBack([live('bob', true, before - 60_000_000)], ['dave'], before - 1_000_000);
    const entry = quiet(recorded, 'dave');
    if (entry?.event.type !== 'reaction' || entry.event.at === undefined)
      throw new Error('nothing read back');
    expect(entry.event.at).toBeGreaterThanOrEqual(before);
  });
});
