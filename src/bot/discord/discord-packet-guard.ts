/**
 * A gateway packet discord.js cannot read (an interaction with neither `member` nor `user`, a reaction without its
 * emoji) makes its packet handler throw on the WebSocket's event loop turn, outside any listener, and that ends the
 * process. The guard catches such a throw, logs the packet's type, and drops the packet: one bad packet costs that
 * packet, never the bot.
 */
import type { Client } from 'discord.js';
import type { DiscordLog } from './discord-types.ts';

type HandlePacket = (packet: { t?: unknown } | undefined, shard: unknown) => boolean;

/** Wraps the client's packet handler; returns false when this discord.js has none to wrap. */
export function guardDiscordPackets(client: Client, log: DiscordLog): boolean {
  const manager = client.ws as unknown as { handlePacket?: HandlePacket };
  const original = manager.handlePacket;
  if (typeof original !== 'function') return false;
  manager.handlePacket = function guarded(packet, shard) {
    try {
      return original.call(this, packet, shard);
    } catch (error) {
      log.warn(
        { packet: String(packet?.t ?? 'unknown'), err: (error as Error).message },
        'dropped a Discord gateway packet that could not be read',
      );
      return true;
    }
  };
  return true;
}
