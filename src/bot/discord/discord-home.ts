/**
 * Preflight's own server (DISCORD_GUILD_ID): with it set, what comes from another server is not handled, and
 * neither is an interaction from a direct message. Registering commands for one server leaves any registered
 * globally before in every server the bot is in and in direct messages, so this check is what keeps a stranger
 * there from reading deployments. Reactions in direct messages stay: pages go by direct message, and a 👀 on one
 * acknowledges its incident. Without DISCORD_GUILD_ID every server is Preflight's.
 */
import { escapeDiscordLiteral } from './discord-literal.ts';
import type { DiscordLog } from './discord-types.ts';

/** What arrived: an interaction (command, button, form, autocomplete), a reaction, or a message's deletion. */
export type DiscordInput = 'interaction' | 'reaction' | 'deletion';

export interface DiscordHome {
  /** Whether an input of `kind` from `guildId` (null: a direct message) is Preflight's to handle. */
  admits(kind: DiscordInput, guildId: string | null | undefined): boolean;
  /** The answer to an interaction it does not admit; logged at warn once per server and person. */
  refusal(guildId: string | null | undefined, userId: string): string;
}

/** Servers and people whose refused interactions were logged, at most this many remembered. */
const LOGGED_KEPT = 1_000;

export function createDiscordHome(deps: {
  readonly guildId: string | undefined;
  /** The server's name, when the client knows it. */
  readonly guildName: (id: string) => string | undefined;
  readonly log: DiscordLog;
}): DiscordHome {
  const { guildId: home, log } = deps;
  const logged = new Set<string>();
  return {
    admits(kind, guildId) {
      if (home === undefined || guildId === home) return true;
      return kind !== 'interaction' && !guildId;
    },
    refusal(guildId, userId) {
      const from = guildId || 'direct message';
      const key = `${from}:${userId}`;
      if (!logged.has(key)) {
        logged.add(key);
        if (logged.size > LOGGED_KEPT) logged.delete(logged.values().next().value as string);
        log.warn(
          { ...(guildId && { guild: guildId }), user: userId },
          `Discord interaction from ${guildId ? 'another server' : 'a direct message'} not handled: Preflight answers only in DISCORD_GUILD_ID`,
        );
      }
      const name = home === undefined ? undefined : deps.guildName(home);
      const server = name
        ? `the Discord server **${escapeDiscordLiteral(name)}**`
        : `the Discord server ${home}`;
      return `⚠️ Preflight answers only in ${server}, so nothing was done here: run the command there.`;
    },
  };
}
