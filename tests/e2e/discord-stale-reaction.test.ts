/**
 * Discord, like Slack (slack-stale-reaction.test.ts): a ✅ on a message Preflight posted but has no record of (an
 * earlier Preflight's, before its data was reset) does nothing, and the person is told so by direct message at once.
 * Discord says who wrote the reacted message only in the gateway's raw payload (message_author_id); a ✅ on a
 * person's own message is nothing to Preflight: no message, nothing given up in the log.
 */
import { expect, it } from 'vitest';
import { BOB, ERIN, useDiscordSandbox } from '../helpers/discord-suite.ts';
import { DEPLOY_CHANNEL_ID, type FakeDiscordMessage, nextSnowflake } from '../helpers/fake-discord.ts';

const harness = useDiscordSandbox();

const message = (author?: string): FakeDiscordMessage => ({
  id: nextSnowflake(),
  channel_id: DEPLOY_CHANNEL_ID,
  content: author === undefined ? '🚀 **toy v0.9.0** → production' : 'shipping soon?',
  components: [],
  attachments: [],
  edits: 0,
  at: Date.now(),
  ...(author !== undefined && { author }),
});

it('✅ on an unknown message of Preflight’s is answered by DM; on a person’s message nothing is said', async () => {
  const h = harness();
  const dmsTo = (user: string) =>
    h.fake.world.messages.filter(
      (m) =>
        h.fake.world.channels.get(m.channel_id)?.type === 1 &&
        h.fake.world.channels.get(m.channel_id)?.recipient === user,
    );

  h.react(ERIN, message(BOB), '✅');
  h.react(BOB, message(), '✅');

  const told = await h.waitFor('the direct message to Bob', () => dmsTo(BOB)[0]);
  expect(told.content).toBe(
    '⚠️ this message is not one Preflight has a record of (posted before its data was reset, or more than 90 days ago), so your reaction did nothing. Find the current message with `/deploy status` or `/incident status` and react there, or use the command.',
  );
  // Erin's reaction was recorded before Bob's: once the inbox is empty, it was handled too.
  await h.waitFor('the inbox to be empty', async () => (await h.preflight().chat.inbox.pending()) === 0);
  expect(dmsTo(ERIN)).toEqual([]);
  expect(h.fake.world.messages.filter((m) => m.channel_id === DEPLOY_CHANNEL_ID)).toEqual([]);
  expect(h.logs.join('')).not.toContain('inbox entry given up');
}, 60_000);
