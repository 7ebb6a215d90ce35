/**
 * Discord's channel mentions (`<#snowflake>`, from the runbook's channel names) and thread links: a deployment's
 * or incident's thread has its first message's id, so its link is `https://discord.com/channels/<guild>/<id>`.
 * A lookup that fails leaves the link out; the message still goes.
 */
import type { ChatPort } from '../../core/index.ts';
import { channelMention } from '../channel-mention.ts';
import type { DiscordChannelDirectory } from './discord-channels.ts';

const DISCORD_APP_URL = 'https://discord.com/channels';

/** Creates the link methods of the Discord chat port. */
export function createDiscordLinks(deps: {
  channels: DiscordChannelDirectory;
}): Required<Pick<ChatPort, 'linkChannel' | 'linkThread'>> {
  const { channels } = deps;
  return {
    linkChannel: (channel) => channelMention((name) => channels.resolve(name), channel),
    async linkThread(root, label) {
      const guild = await channels.guildOf(root.channel).catch(() => undefined);
      if (guild === undefined) return undefined;
      return `[${label}](${DISCORD_APP_URL}/${guild}/${root.thread ?? root.id})`;
    },
  };
}
