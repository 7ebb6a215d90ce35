/** A reaction on a message the message index has no record of, and what becomes of a reaction. */
import { privately, type Reply } from '../commands/command.ts';
import { EMOJI, type MessageIndex, type Platform } from '../core/index.ts';

/** What became of a reaction. */
export interface ReactionOutcome {
  /** False when the message is not one of Preflight's (not in the message index). */
  readonly known: boolean;
  /** Not known, and it may be a post of Preflight's still being confirmed: worth looking at again shortly. */
  readonly pending?: boolean;
  /** A refusal, for the person only, with the thread it belongs in (Slack: an ephemeral message there). */
  readonly refusal?: Reply;
}

const ACTED_ON: ReadonlySet<string> = new Set(Object.values(EMOJI));

/**
 * A reaction on a message the index has no record of. A person's message, or an emoji Preflight does not act on, is
 * nothing to it. Preflight's own may be a post whose process died before saving it (pending while a post on the
 * platform is unconfirmed), else one from before its data was reset: the person is told nothing was done.
 */
export async function unknownMessage(
  index: Pick<MessageIndex, 'unconfirmed'>,
  input: {
    readonly platform: Platform;
    readonly emoji: string;
    readonly added: boolean;
    readonly ours?: boolean;
  },
): Promise<ReactionOutcome> {
  if (!ACTED_ON.has(input.emoji) || input.ours === false) return { known: false };
  const pending = await index.unconfirmed(input.platform);
  if (input.ours !== true || !input.added) return { known: false, pending };
  return {
    known: false,
    pending,
    refusal: privately(
      '⚠️ this message is not one Preflight has a record of (posted before its data was reset, or more than 90 days ago), so your reaction did nothing. Find the current message with `/deploy status` or `/incident status` and react there, or use the command.',
    ),
  };
}
