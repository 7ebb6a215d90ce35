/**
 * The reaction read-back both platforms share: a pass at once and a second one later (a prompt whose post was in
 * doubt at the first pass is known only after the send queue found it), each reaction recorded with one entry id,
 * the log counting only what is new, a message the platform could not read read again later, and a platform
 * refusal ending this and every later pass.
 */
import { describe, expect, it } from 'vitest';
import {
  createReactionReadBack,
  ReadBackRefused,
  type ReadReaction,
} from '../../../src/bot/catch-up-reactions.ts';
import type { OpenPrompt } from '../../../src/bot/open-prompts.ts';
import type { InboxEntry } from '../../../src/core/index.ts';

const gate = (id: string): OpenPrompt => ({
  ref: { platform: 'discord', channel: 'C1', id },
  emoji: ['white_check_mark', 'x'],
});

function setUp(read: (prompt: OpenPrompt) => Promise<readonly ReadReaction[]>) {
  const recorded: InboxEntry[] = [];
  const infos: object[] = [];
  const warnings: string[] = [];
  let known: OpenPrompt[] = [];
  let closed = false;
  const catchUp = createReactionReadBack(
    {
      platform: 'discord',
      inbox: { record: async (entry) => void recorded.push(entry) },
      prompts: async () => {
        if (closed) throw new Error('Connection is closed.');
        return known;
      },
      read,
      log: {
        info: (obj) => void infos.push(obj),
        warn: (_obj, msg) => void warnings.push(msg ?? ''),
      },
    },
    40,
  );
  return {
    recorded,
    infos,
    warnings,
    catchUp,
    know: (...prompts: OpenPrompt[]) => {
      known = prompts;
    },
    closeStore: () => {
      closed = true;
    },
    waitFor: async (done: () => boolean) => {
      for (let i = 0; i < 200 && !done(); i++) await settle(10);
      expect(done()).toBe(true);
    },
  };
}

const settle = (ms: number) => new Promise((r) => setTimeout(r, ms));

describe('the reaction read-back', () => {
  it('reads again a little later, so a prompt known only after the first pass is read too', async () => {
    const t = setUp(async (prompt) =>
      prompt.ref.id === 'late'
        ? [
            { emoji: 'white_check_mark', userId: 'dave' },
            { emoji: 'thumbsup', userId: 'erin' },
          ]
        : [{ emoji: 'white_check_mark', userId: 'bob' }],
    );
    t.know(gate('early'));
    t.catchUp.run();
    await settle(10);
    expect(t.recorded.map((e) => e.id)).toEqual(['catch-up:early:white_check_mark:bob']);

    // The send queue finds the prompt posted just before the crash.
    t.know(gate('early'), gate('late'));
    await settle(80);
    expect(t.recorded.map((e) => e.id)).toEqual([
      'catch-up:early:white_check_mark:bob',
      'catch-up:early:white_check_mark:bob',
      'catch-up:late:white_check_mark:dave',
    ]);
    const late = t.recorded[2];
    expect(late?.event).toMatchObject({ type: 'reaction', messageId: 'late', added: true, quiet: true });
    // Bob's tick is said once in the log, though both passes recorded it (the entry id makes it one).
    expect(t.infos).toEqual([{ recorded: 1 }, { recorded: 1 }]);
  });

  it('stops at a refusal: said once, and neither the other prompts nor the second pass are tried', async () => {
    const reads: string[] = [];
    const t = setUp(async (prompt) => {
      reads.push(prompt.ref.id);
      throw new ReadBackRefused('add the reactions:read scope');
    });
    t.know(gate('a'), gate('b'));
    t.catchUp.run();
    await settle(80);
    t.catchUp.run();
    await settle(80);
    expect(reads).toEqual(['a']);
    expect(t.warnings).toEqual(['add the reactions:read scope']);
    expect(t.recorded).toEqual([]);
  });

  it('goes on past a message it could not read', async () => {
    const t = setUp(async (prompt) => {
      if (prompt.ref.id === 'gone') throw new Error('Unknown Message');
      return [{ emoji: 'x', userId: 'carol' }];
    });
    t.know(gate('gone'), gate('kept'));
    t.catchUp.run();
    await settle(10);
    expect(t.recorded.map((e) => e.id)).toEqual(['catch-up:kept:x:carol']);
    expect(t.warnings).toEqual(['could not read back the reactions on a message']);
  });

  it('reads again, later and later, only the messages the second pass could not read, until it reads them', async () => {
    const reads: string[] = [];
    let failing = 4;
    const t = setUp(async (prompt) => {
      reads.push(prompt.ref.id);
      if (prompt.ref.id === 'busy' && failing-- > 0) throw new Error('Service Unavailable');
      return [{ emoji: 'white_check_mark', userId: prompt.ref.id === 'busy' ? 'bob' : 'carol' }];
    });
    t.know(gate('busy'), gate('kept'));
    t.catchUp.run();
    // The first pass at once, the second 40 ms later, then the unread message 80, 160 and 320 ms after each other.
    await t.waitFor(() => t.recorded.some((e) => e.id === 'catch-up:busy:white_check_mark:bob'));
    expect(reads).toEqual(['busy', 'kept', 'busy', 'kept', 'busy', 'busy', 'busy']);
    expect(t.recorded.filter((e) => e.id === 'catch-up:busy:white_check_mark:bob')).toHaveLength(1);
    await settle(400);
    expect(reads).toHaveLength(7);
  });

  it('takes a ✅ found gone off only once the same person’s ✅ found on another message of the gate is counted', async () => {
    const t = setUp(async (prompt) =>
      prompt.ref.id === 'reminder' ? [{ emoji: 'white_check_mark', userId: 'bob' }] : [],
    );
    // Bob's approval was given by his ✅ on the gate's message; while the bot was down he moved it to a reminder.
    const asksFor = 'svc-1:gate:go';
    const held = (at: number) => ({ counted: ['bob'], byReaction: [{ userId: 'bob', at }], asksFor });
    t.know({ ...gate('gate'), ...held(1) }, { ...gate('reminder'), counted: [], asksFor });
    t.catchUp.run();
    await settle(10);
    expect(t.recorded.map((e) => e.id)).toEqual(['catch-up:reminder:white_check_mark:bob']);

    // The core counted the reminder's ✅ as holding the approval too: the gate's ✅ found gone is taken off.
    t.know({ ...gate('gate'), ...held(1) }, { ...gate('reminder'), ...held(2) });
    await t.waitFor(() => t.recorded.length >= 2);
    expect(new Set(t.recorded.slice(1).map((e) => e.id)).size).toBe(1);
    expect(t.recorded[1]).toMatchObject({
      id: 'catch-up:gate:white_check_mark:bob:gone:1',
      event: { added: false, messageId: 'gate' },
    });
  });

  it('reads no more once stopped: a second pass due after the store closed neither runs nor warns', async () => {
    const t = setUp(async () => [{ emoji: 'x', userId: 'carol' }]);
    t.know(gate('kept'));
    t.catchUp.run();
    await settle(10);
    t.catchUp.stop();
    // The process stops: the store the second pass would read is closed.
    t.closeStore();
    await settle(80);
    expect(t.recorded.map((e) => e.id)).toEqual(['catch-up:kept:x:carol']);
    expect(t.warnings).toEqual([]);
  });
});
