/**
 * Reactions made while the bot could not hear them: it was down longer than the platform redelivers (Slack tries
 * an event three times over about five minutes; Discord's gateway replays nothing to a new session), or its
 * connection was. When it connects again, the reactions on the messages that still wait for one (open-prompts.ts)
 * are read back and recorded as inbox entries, one per message, emoji and person: a reaction heard live as well
 * counts once (the core takes an approval once), one read back again later is not recorded twice (the entry id),
 * and a refused one is not answered out of the blue (`quiet`).
 */
import type { ChatInbox, Platform } from '../core/index.ts';
import type { OpenPrompt } from './open-prompts.ts';

/** One person's reaction on a prompt, with the canonical emoji name (EMOJI). */
export interface ReadReaction {
  readonly emoji: string;
  readonly userId: string;
}

/** Thrown by a reader when no prompt can be read (a missing permission): said once, and the rest not tried. */
export class ReadBackRefused extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'ReadBackRefused';
  }
}

export interface CatchUpDeps {
  readonly platform: Platform;
  readonly inbox: Pick<ChatInbox, 'record'>;
  readonly prompts: () => Promise<readonly OpenPrompt[]>;
  /** The people's reactions on one prompt (the bot's own left out), among `prompt.emoji`. */
  readonly read: (prompt: OpenPrompt) => Promise<readonly ReadReaction[]>;
  readonly log: { warn(obj: object, msg?: string): void; info(obj: object, msg?: string): void };
}

/** Reads back the reactions on every open prompt; resolves with how many entries it recorded. */
export async function catchUpReactions(deps: CatchUpDeps): Promise<number> {
  let recorded = 0;
  for (const prompt of await deps.prompts()) {
    const { ref } = prompt;
    let reactions: readonly ReadReaction[];
    try {
      reactions = await deps.read(prompt);
    } catch (error) {
      if (error instanceof ReadBackRefused) {
        deps.log.warn({}, error.message);
        break;
      }
      deps.log.warn(
        { err: (error as Error).message, channel: ref.channel, message: ref.id },
        'could not read back the reactions on a message',
      );
      continue;
    }
    for (const { emoji, userId } of reactions) {
      if (!prompt.emoji.includes(emoji)) continue;
      await deps.inbox.record({
        platform: deps.platform,
        id: `catch-up:${ref.id}:${emoji}:${userId}`,
        userId,
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
  }
  if (recorded > 0) deps.log.info({ recorded }, 'reactions read back after a gap');
  return recorded;
}
