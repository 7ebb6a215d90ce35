/**
 * Reactions cleared by a moderator (or an app with Manage Messages): Discord sends MESSAGE_REACTION_REMOVE_EMOJI (one
 * emoji, everyone's) or MESSAGE_REACTION_REMOVE_ALL, and names nobody, so no per-person removal ever comes. A ✅
 * cleared from a gate or rollback prompt took its approvals with it: the message's reactions are read back at once
 * (catch-up-reactions.ts), which withdraws in the core what a ✅ now gone gave there, and only that (a button's
 * approval stays), as a read-back after a restart would. Other emoji cleared withdraw nothing, so cost nothing.
 */
import { type Client, Events } from 'discord.js';
import { EMOJI } from '../../core/index.ts';
import type { DiscordHome } from './discord-home.ts';
import { canonicalDiscordEmoji } from './discord-listeners.ts';

interface ClearedPayload {
  readonly message_id?: unknown;
  readonly guild_id?: unknown;
  readonly emoji?: { readonly name?: string | null; readonly id?: string | null };
}

/** Calls `readBack` with the id of a message whose ✅ were cleared, in Preflight's server or a direct message. */
export function onReactionsCleared(
  client: Client,
  deps: { readonly home: DiscordHome; readonly readBack: (messageId: string) => void },
): void {
  client.on(Events.Raw, (packet: { t?: string; d?: ClearedPayload }) => {
    const all = packet.t === 'MESSAGE_REACTION_REMOVE_ALL';
    if ((!all && packet.t !== 'MESSAGE_REACTION_REMOVE_EMOJI') || !packet.d) return;
    const { message_id: messageId, guild_id: guildId, emoji } = packet.d;
    if (typeof messageId !== 'string') return;
    if (!deps.home.admits('reaction', typeof guildId === 'string' ? guildId : null)) return;
    if (!all && (emoji?.id || canonicalDiscordEmoji(emoji?.name ?? null) !== EMOJI.approve)) return;
    deps.readBack(messageId);
  });
}
