/** Discord's side of the reaction read-back (catch-up-reactions.ts): each emoji's users on a message, over REST. */
import { type REST, Routes } from 'discord.js';
import type { ReadReaction } from '../catch-up-reactions.ts';
import type { OpenPrompt } from '../open-prompts.ts';
import { EMOJI_UNICODE } from './discord-chat.ts';

/** Discord lists up to 100 users per reaction page; more on one prompt is beyond any runbook's approvers. */
const PAGE = 100;

/** Reads the people's reactions on one prompt; `botUserId` is the bot's own id (its reactions are not answers). */
export function discordReactionReader(rest: REST, botUserId: () => string | undefined) {
  return async ({ ref, emoji: names }: OpenPrompt): Promise<ReadReaction[]> => {
    const found: ReadReaction[] = [];
    for (const emoji of names) {
      const unicode = EMOJI_UNICODE[emoji] ?? emoji;
      const users = (await rest.get(
        Routes.channelMessageReaction(ref.channel, ref.id, encodeURIComponent(unicode)),
        { query: new URLSearchParams({ limit: String(PAGE) }) },
      )) as { id: string; bot?: boolean }[];
      for (const user of users)
        if (user.bot !== true && user.id !== botUserId()) found.push({ emoji, userId: user.id });
    }
    return found;
  };
}
