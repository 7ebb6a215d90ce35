/**
 * Reactions made while the bot could not hear them: the gateway was down longer than Discord replays (a new
 * session), or the process was. On every new gateway session the reactions on the messages that still wait for
 * one (open-prompts.ts) are read back over REST and recorded as inbox entries, one per person, emoji and message,
 * so a reaction heard live as well counts once, and one read back again (a later session) is not recorded twice.
 */
import { type REST, Routes } from 'discord.js';
import type { ChatInbox } from '../../core/index.ts';
import type { OpenPrompt } from '../open-prompts.ts';
import { EMOJI_UNICODE } from './discord-chat.ts';

export interface CatchUpDeps {
  readonly rest: REST;
  readonly inbox: Pick<ChatInbox, 'record'>;
  /** The bot's own user id: its own reactions are not answers. */
  readonly botUserId: () => string | undefined;
  readonly prompts: () => Promise<readonly OpenPrompt[]>;
  readonly log: { warn(obj: object, msg?: string): void; info(obj: object, msg?: string): void };
}

/** Discord lists up to 100 users per reaction page; more on one prompt is beyond any runbook's approvers. */
const PAGE = 100;

/** Reads back the reactions on every open prompt; resolves with how many entries it recorded. */
export async function catchUpReactions(deps: CatchUpDeps): Promise<number> {
  let recorded = 0;
  for (const { ref, emoji: names } of await deps.prompts()) {
    for (const emoji of names) {
      const unicode = EMOJI_UNICODE[emoji] ?? emoji;
      try {
        const users = (await deps.rest.get(
          Routes.channelMessageReaction(ref.channel, ref.id, encodeURIComponent(unicode)),
          { query: new URLSearchParams({ limit: String(PAGE) }) },
        )) as { id: string; bot?: boolean }[];
        for (const user of users) {
          if (user.bot === true || user.id === deps.botUserId()) continue;
          await deps.inbox.record({
            platform: 'discord',
            id: `catch-up:${ref.id}:${emoji}:${user.id}`,
            userId: user.id,
            channel: ref.channel,
            event: {
              type: 'reaction',
              messageId: ref.id,
              emoji,
              added: true,
              at: Date.now() * 1000,
              quiet: true,
            },
          });
          recorded += 1;
        }
      } catch (error) {
        deps.log.warn(
          { err: (error as Error).message, channel: ref.channel, message: ref.id, emoji: unicode },
          'could not read back the reactions on a message',
        );
      }
    }
  }
  if (recorded > 0) deps.log.info({ recorded }, 'reactions read back after a gap');
  return recorded;
}
