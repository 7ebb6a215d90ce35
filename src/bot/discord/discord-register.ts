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

/** Registers Preflight's slash commands, replacing whatever the application had registered there before. */
export async function registerDiscordCommands(options: DiscordRegisterOptions): Promise<Registered> {
  const rest = new REST(discordRestOptions(options.apiUrl)).setToken(options.token);
  const body = buildSlashCommands();
  const route = options.guildId
    ? Routes.applicationGuildCommands(options.applicationId, options.guildId)
    : Routes.applicationCommands(options.applicationId);
  try {
    const answer = (await rest.put(route, { body })) as readonly { name?: string }[];
    return {
      names: answer.map((c) => c.name ?? '?'),
      scope: options.guildId ? 'guild' : 'global',
    };
  } catch (error) {
    throw explain(error, options);
  }
}
