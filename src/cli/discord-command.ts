/** `preflight discord register`: registers the slash commands with Discord. */
import { registerDiscordCommands } from '../bot/discord/discord-register.ts';
import { CliError } from './cli-error.ts';
import type { Output } from './validate-command.ts';
import { readConfigOrExit } from './worker-command.ts';

/** Registers the commands; prints what was registered where. */
export async function runDiscordRegister(
  env: Record<string, string | undefined>,
  io: Output,
): Promise<number> {
  const config = readConfigOrExit(env);
  if (!config.discord)
    throw new CliError(
      'DISCORD_TOKEN and DISCORD_APPLICATION_ID must be set to register the slash commands (see README "Connect to Discord")',
      2,
    );
  const { guildId } = config.discord;
  try {
    const registered = await registerDiscordCommands(config.discord);
    const names = registered.names.map((n) => `/${n}`).join(', ');
    io.out(
      guildId
        ? `registered ${registered.names.length} slash commands in guild ${guildId}: ${names}`
        : `registered ${registered.names.length} global slash commands: ${names} (Discord may take up to an hour to show them; set DISCORD_GUILD_ID for instant guild commands)`,
    );
    return 0;
  } catch (error) {
    throw new CliError((error as Error).message, 1);
  }
}
