/**
 * An answer meant for the channel (a lock, an unlock) is seen there and stays. Preflight defers every interaction
 * privately; Discord takes a follow-up made right after that deferral as the edit of the private "thinking" message
 * (its ephemeral flag kept), so a follow-up sent first would reach the person alone, and the deletion of the private
 * message that follows would take it from them too.
 */
import { expect, it } from 'vitest';
import { ALICE, useDiscordSandbox } from '../helpers/discord-suite.ts';

const harness = useDiscordSandbox();

it('/deploy lock and unlock: the channel sees who did it, and the answer stays', async () => {
  const h = harness();
  for (const [sub, reason, said] of [
    ['lock', 'db migration', '🔒 toy staging locked by Alice'],
    ['unlock', 'migration done', 'toy staging unlocked'],
  ] as const) {
    const sent = h.command(ALICE, 'deploy', sub, { service: 'toy', environment: 'staging', reason });
    const answer = await h.answer(sent);
    expect(answer).toMatchObject({ kind: 'followup', ephemeral: false });
    expect(answer.content).toContain(said);
    await h.waitFor('the private "thinking" message removed', () =>
      h.fake.world.answers.find((a) => a.token === sent.token && a.kind === 'delete'),
    );
    expect(h.shown(sent)).toEqual([{ content: answer.content, ephemeral: false }]);
  }
}, 60_000);
