/**
 * `preflight discord register`: one bulk overwrite of the application's slash commands, in the guild when one is
 * named (commands show at once there) or globally (Discord may take up to an hour to show them everywhere).
 */
import { DiscordAPIError, REST, Routes } from 'discord.js';
import { buildSlashCommands } from './discord-commands.ts';
import { discordRestOptions } from './discord-rest.ts';
import { discordUnreachable } from './discord-unreachable.ts';

export interface DiscordRegisterOptions {
  readonly token: string;
  readonly applicationId: string;
  readonly guildId?: string;
  /** REST base (DISCORD_API_URL); Discord's own by default. */
  readonly apiUrl?: string;
}

export interface Registered {
  readonly names: readonly string[];
  readonly scope: 'guild' | 'global';
}

function explain(error: unknown, options: DiscordRegisterOptions): Error {
  if (error instanceof DiscordAPIError) {
    const status = error.status;
    if (status === 401) return new Error('Discord refused the bot token (401); check DISCORD_TOKEN');
    if (status === 403 && options.guildId)
      return new Error(
        `Discord refused to register commands in guild ${options.guildId} (403 ${error.message}): invite the bot to that server with the applications.commands scope (see README "Connect to Discord")`,
      );
    if (status === 404 || error.code === 10002)
      return new Error(
        `Discord does not know application ${options.applicationId} (${error.message}); check DISCORD_APPLICATION_ID`,
      );
    return new Error(`Discord refused the commands (HTTP ${status}: ${error.message})`);
  }
  return new Error(discordUnreachable('could not reach the Discord API', options.apiUrl, error));
}

/** A 2xx whose body is no list of commands: a web server or a proxy answered where Discord's API was expected. */
function notDiscord(apiUrl: string | undefined): Error {
  const said = 'did not answer as Discord does (no list of commands came back)';
  return new Error(
    apiUrl
      ? `the Discord API at ${apiUrl} (DISCORD_API_URL) ${said}: check that DISCORD_API_URL is right (or unset it to use Discord's own), then try again`
      : `discord.com ${said}: a proxy on the way may have answered instead; check the network, then try again`,
  );
}

/** Registers Preflight's slash commands, replacing whatever the application had registered there before. */
export async function registerDiscordCommands(options: DiscordRegisterOptions): Promise<Registered> {
  const rest = new REST(discordRestOptions(options.apiUrl)).setToken(options.token);
  const body = buildSlashCommands();
  const route = options.guildId
    ? Routes.applicationGuildCommands(options.applicationId, options.guildId)
    : Routes.applicationCommands(options.applicationId);
  let answer: unknown;
  try {
    answer = await rest.put(route, { body });
  } catch (error) {
    throw explain(error, options);
  }
  if (!Array.isArray(answer)) throw notDiscord(options.apiUrl);
  return {
    names: (answer as readonly { name?: string }[]).map((c) => c.name ?? '?'),
    scope: options.guildId ? 'guild' : 'global',
  };
}
