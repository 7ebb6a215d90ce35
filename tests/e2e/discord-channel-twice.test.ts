/**
 * Through the real discord.js client: a runbook channel name two channels of the bot's server have (a second
 * #deployments someone made) is not resolved to whichever Discord lists first. The requester is told by direct
 * message what to fix, nothing is posted in either meanwhile, and once the name is one channel's again the
 * deployment shows up there.
 */
import { expect, it } from 'vitest';
import { ALICE, useDiscordSandbox } from '../helpers/discord-suite.ts';
import { DEPLOY_CHANNEL_ID } from '../helpers/fake-discord.ts';

const SECOND = '1270000000000000177';
const harness = useDiscordSandbox({
  prepare: ({ world }) => {
    // Listed first, as Discord may well list it.
    const deployments = world.channels.get(DEPLOY_CHANNEL_ID);
    world.channels.delete(DEPLOY_CHANNEL_ID);
    world.channels.set(SECOND, { id: SECOND, name: 'deployments', type: 0 });
    if (deployments) world.channels.set(DEPLOY_CHANNEL_ID, deployments);
  },
});

it('tells the requester to rename one, posts in neither meanwhile, and goes on once the name is one channel’s', async () => {
  const h = harness();
  const { world } = h.fake;
  await h.answer(h.command(ALICE, 'deploy', 'start', { service: 'toy', version: 'v1.3.0' }));
  const told = await h.waitFor(
    'the direct message',
    () =>
      world.messages.find(
        (m) => world.channels.get(m.channel_id)?.recipient === ALICE && m.content.includes('toy-1'),
      ),
    40_000,
  );
  expect(told.content).toContain(
    `Discord channel #deployments names 2 channels in the bot's server (${SECOND}, ${DEPLOY_CHANNEL_ID}), so Preflight does not pick one: rename the one the runbooks do not mean`,
  );
  const inEither = () => world.messages.filter((m) => [SECOND, DEPLOY_CHANNEL_ID].includes(m.channel_id));
  expect(inEither()).toEqual([]);

  world.channels.set(SECOND, { id: SECOND, name: 'deployments-old', type: 0 });
  const root = await h.waitFor('the status message', () => inEither()[0], 120_000);
  expect(root).toMatchObject({
    channel_id: DEPLOY_CHANNEL_ID,
    content: expect.stringContaining('toy v1.3.0'),
  });
}, 180_000);
