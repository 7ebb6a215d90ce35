/**
 * Runbook channel names on Discord when the bot sees more than one channel by that name: in another server it was
 * invited to (DISCORD_GUILD_ID unset: every server the bot is in is looked in), or twice in its own. Preflight
 * never picks one of them by the order Discord lists them in (deployments and pages would go to whichever came
 * first, perhaps a stranger's server): it refuses the name, saying where it found it and what to set.
 */
import { REST } from 'discord.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createDiscordChannelDirectory } from '../../src/bot/discord/discord-channels.ts';
import { discordRestOptions } from '../../src/bot/discord/discord-rest.ts';
import {
  DEPLOY_CHANNEL_ID,
  type FakeDiscord,
  GUILD_ID,
  INCIDENT_CHANNEL_ID,
  startFakeDiscord,
} from '../helpers/fake-discord.ts';

const OTHER_GUILD = '1390000000000000000';
const OTHER_DEPLOY = '1390000000000000101';
const SECOND_INCIDENT = '1270000000000000199';

let fake: FakeDiscord;
let rest: REST;
beforeAll(async () => {
  fake = await startFakeDiscord();
  rest = new REST(discordRestOptions(fake.apiUrl)).setToken(fake.token);
  // Another server the bot was invited to, listed first, with a #deployments of its own.
  fake.world.channels.set(OTHER_DEPLOY, {
    id: OTHER_DEPLOY,
    name: 'Deployments',
    type: 0,
    guild: OTHER_GUILD,
  });
});
afterAll(async () => {
  await fake?.close();
});

const directory = (guilds: readonly string[]) =>
  createDiscordChannelDirectory({ rest, guildIds: () => guilds });

describe('a runbook channel name the bot sees more than once on Discord', () => {
  it('is refused when two of its servers have it, saying to set DISCORD_GUILD_ID; one in one server resolves', async () => {
    const all = directory([OTHER_GUILD, GUILD_ID]);
    const error = await all.resolve('#deployments').catch((e: unknown) => e);
    expect(error).toMatchObject({
      kind: 'refused',
      message: `Discord channel #deployments is in more than one of the bot's servers (${OTHER_GUILD}, ${GUILD_ID}), so Preflight does not pick one: set DISCORD_GUILD_ID to the server the runbooks mean`,
    });
    expect(await all.resolve('#incident-response')).toBe(INCIDENT_CHANNEL_ID);
    // Named, the server is the one looked in: its channel, whatever other servers have.
    expect(await directory([GUILD_ID]).resolve('#deployments')).toBe(DEPLOY_CHANNEL_ID);
    expect(await directory([OTHER_GUILD]).resolve('#deployments')).toBe(OTHER_DEPLOY);
  });

  it('is refused when one server has two channels by it, saying to rename one, until one is renamed', async () => {
    fake.world.channels.set(SECOND_INCIDENT, { id: SECOND_INCIDENT, name: 'incident-response', type: 0 });
    let clock = 0;
    const one = createDiscordChannelDirectory({ rest, guildIds: () => [GUILD_ID], now: () => clock });
    const error = await one.resolve('#incident-response').catch((e: unknown) => e);
    expect(error).toMatchObject({
      kind: 'refused',
      message: `Discord channel #incident-response names 2 channels in the bot's server (${INCIDENT_CHANNEL_ID}, ${SECOND_INCIDENT}), so Preflight does not pick one: rename the one the runbooks do not mean`,
    });
    // Renamed: the channels are listed again (at most every 30 s), and the name is one channel's.
    fake.world.channels.set(SECOND_INCIDENT, { id: SECOND_INCIDENT, name: 'incident-old', type: 0 });
    clock += 30_000;
    expect(await one.resolve('#incident-response')).toBe(INCIDENT_CHANNEL_ID);
  });
});
