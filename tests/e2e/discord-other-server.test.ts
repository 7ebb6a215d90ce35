/**
 * With DISCORD_GUILD_ID set, a command from another server (commands once registered globally are still there) or
 * from a direct message is answered privately with where Preflight answers, and does nothing; the same command in
 * Preflight's server works.
 */
import { expect, it } from 'vitest';
import { newInteractionIds, slashInteraction } from '../helpers/discord-events.ts';
import type { Sent } from '../helpers/discord-harness.ts';
import { ALICE, useDiscordSandbox } from '../helpers/discord-suite.ts';
import { now, userJson } from '../helpers/fake-discord.ts';

const harness = useDiscordSandbox();
const OTHER_GUILD = '1390000000000000000';
const REFUSAL =
  '⚠️ Preflight answers only in the Discord server **Preflight test guild**, so nothing was done here: run the command there.';

it('answers a command from another server or a direct message with where it answers, doing nothing', async () => {
  const h = harness();
  /** `/deploy <sub>` by Alice from another server's channel, or (`dm`) from her direct messages. */
  const elsewhere = (sub: string, values: Record<string, string>, dm = false): Sent => {
    const ids = newInteractionIds();
    const channel = dm
      ? { id: '1390000000000000201', name: '', type: 1, recipient: ALICE }
      : { id: '1390000000000000101', name: 'deploys', type: 0, guild: OTHER_GUILD };
    const payload: Record<string, unknown> = {
      ...slashInteraction(ids, ALICE, channel, 'deploy', sub, values),
      guild_id: OTHER_GUILD,
      authorizing_integration_owners: { '0': OTHER_GUILD },
    };
    if (dm) {
      for (const key of ['guild_id', 'member', 'guild_locale']) delete payload[key];
      Object.assign(payload, {
        user: userJson(ALICE),
        context: 1,
        authorizing_integration_owners: { '1': ALICE },
      });
    }
    const at = now();
    h.fake.gateway.dispatch('INTERACTION_CREATE', payload);
    return { ...ids, at };
  };
  const refusedPrivately = async (sent: Sent) => {
    const callback = await h.waitFor('the answer', () =>
      h.fake.world.answers.find((a) => a.token === sent.token && a.kind === 'callback'),
    );
    expect(callback.body).toMatchObject({ type: 4, data: { content: REFUSAL, flags: 64 } });
  };

  await refusedPrivately(elsewhere('start', { service: 'toy', version: 'v2.0.0' }));
  await refusedPrivately(elsewhere('start', { service: 'toy', version: 'v2.0.1' }, true));
  expect(await h.preflight().engine.store.list({ limit: 10 })).toEqual([]);

  // In Preflight's server the same commands work.
  const started = await h.answer(h.command(ALICE, 'deploy', 'start', { service: 'toy', version: 'v1.0.0' }));
  expect(started.content).toContain('toy-1');
  const status = await h.answer(h.command(ALICE, 'deploy', 'status', { id: 'toy-1' }));
  expect(status.content).toContain('toy-1');

  // Elsewhere, a deployment that exists is not shown.
  const asked = [elsewhere('status', { id: 'toy-1' }), elsewhere('status', { id: 'toy-1' }, true)];
  for (const sent of asked) await refusedPrivately(sent);
  expect((await h.preflight().engine.store.list({ limit: 10 })).map((d) => d.id)).toEqual(['toy-1']);
  const tokens = new Set(asked.map((s) => s.token));
  expect(h.fake.world.answers.filter((a) => tokens.has(a.token)).map((a) => a.kind)).toEqual([
    'callback',
    'callback',
  ]);

  // Logged once per server and person, without what they asked.
  const logged = h.logs.filter((l) => l.includes('not handled: Preflight answers only in DISCORD_GUILD_ID'));
  expect(logged).toHaveLength(2);
  expect(logged.join('\n')).not.toContain('v2.0');
}, 90_000);
