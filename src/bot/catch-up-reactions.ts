/**
 * Reactions made while the bot could not hear them: it was down longer than the platform redelivers (Slack tries
 * an event three times over about five minutes; Discord's gateway replays nothing to a new session), or its
 * connection was. When it connects again, the reactions on the messages that still wait for one (open-prompts.ts)
 * are read back and recorded as inbox entries, one per message, emoji and person: a reaction heard live as well
 * counts once (the core takes an approval once), one read back again later is not recorded twice (the entry id),
 * and a refused one is not answered out of the blue (`quiet`).
 */
import { type ChatInbox, EMOJI, type Platform } from '../core/index.ts';
import type { ReadBackOutcome } from './first-read-backs.ts';
import type { LiveReactions } from './live-reactions.ts';
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
  /**
   * The reactions heard live. What is read back of a reaction also heard live since the gap ended is put before
   * those live ones: they say its latest, in order, and are answered.
   */
  readonly live?: LiveReactions;
  /** Told once, when the first pass has ended (what it found recorded): pages due at start wait for it. */
  readonly onFirstPass?: (outcome: ReadBackOutcome) => void;
}

/** One entry a pass records: a reaction found, or a counted ✅ found gone. */
interface ReadBackEntry {
  readonly id: string;
  readonly emoji: string;
  readonly userId: string;
  readonly added: boolean;
}

/**
 * What is on a prompt against what the core counts: a reaction it does not count yet is recorded (its id names the
 * person's last withdrawal there, so a ✅ made again after one is a new entry, and the same one read again is not),
 * and a ✅ given by reaction that is no longer on the message is recorded as taken away (its id names that answer).
 */
function reconcile(prompt: OpenPrompt, reactions: readonly ReadReaction[]): ReadBackEntry[] {
  const { ref } = prompt;
  const entries: ReadBackEntry[] = [];
  for (const { emoji, userId } of reactions) {
    if (!prompt.emoji.includes(emoji)) continue;
    if (emoji === EMOJI.approve && prompt.counted?.includes(userId)) continue;
    const since = emoji === EMOJI.approve ? prompt.withdrawn?.[userId] : undefined;
    const id = `catch-up:${ref.id}:${emoji}:${userId}${since === undefined ? '' : `:${since}`}`;
    entries.push({ id, emoji, userId, added: true });
  }
  for (const { userId, at } of prompt.byReaction ?? []) {
    if (reactions.some((r) => r.emoji === EMOJI.approve && r.userId === userId)) continue;
    entries.push({
      id: `catch-up:${ref.id}:${EMOJI.approve}:${userId}:gone:${at}`,
      emoji: EMOJI.approve,
      userId,
      added: false,
    });
  }
  return entries;
}

/**
 * What one pass did: the reactions it recorded that no earlier pass had, whether the platform refused it, and the
 * messages it could not read (the platform having a bad moment, or the message gone).
 */
export interface CatchUpResult {
  readonly recorded: number;
  readonly refused: boolean;
  readonly unread: readonly string[];
  /** The messages whose ✅ found gone waits for a later pass (see `catchUpReactions`). */
  readonly deferred: readonly string[];
}

/**
 * Reads back the reactions on every open prompt. `seen` holds the entry ids earlier passes of this process
 * recorded, so `recorded` counts only new ones (recording one again changes nothing either way). Reactions apply
 * in the order of their `at`, and a later one overtakes an earlier one handled after it; so an entry is dated
 * when its message began to be read (a live reaction made while it reads comes after it), and one of a reaction
 * also heard live since `gapEnded` (µs: the connection was made, the reactions were cleared) just before that
 * moment: the live ones come after it, and the person who made them is answered (a read-back entry is quiet). One
 * a live reaction did not take (its message was not known yet) still takes effect.
 */
export async function catchUpReactions(
  deps: CatchUpDeps,
  seen: Set<string> = new Set(),
  gapEnded: number = nowMicros(),
): Promise<CatchUpResult> {
  let recorded = 0;
  const unread: string[] = [];
  const record = async (prompt: OpenPrompt, entry: ReadBackEntry, at: number) => {
    const { ref } = prompt;
    const { id, emoji, userId, added } = entry;
    const heard = deps.live?.heardSince(ref.id, emoji, userId, gapEnded) ?? false;
    await deps.inbox.record({
      platform: deps.platform,
      id,
      userId,
      channel: ref.channel,
      event: {
        type: 'reaction',
        messageId: ref.id,
        emoji,
        added,
        at: heard ? gapEnded - 1 : at,
        quiet: true,
      },
    });
    if (seen.has(id)) return;
    seen.add(id);
    recorded += 1;
  };
  // A ✅ found gone is recorded once every message was read: one that asks for the same as a message where the same
  // person's ✅ was found uncounted waits for the next pass, when that ✅ holds what the gone one gave (the approval
  // is not withdrawn and given again on the way).
  const gone: { prompt: OpenPrompt; entry: ReadBackEntry; at: number }[] = [];
  const found = new Set<string>();
  const deferred = new Set<string>();
  const flush = async () => {
    for (const { prompt, entry, at } of gone)
      if (prompt.asksFor === undefined || !found.has(`${prompt.asksFor}:${entry.userId}`))
        await record(prompt, entry, at);
      else deferred.add(prompt.ref.id);
  };
  for (const prompt of await deps.prompts()) {
    const { ref } = prompt;
    let reactions: readonly ReadReaction[];
    const at = nowMicros();
    try {
      reactions = await deps.read(prompt);
    } catch (error) {
      if (error instanceof ReadBackRefused) {
        deps.log.warn({}, error.message);
        await flush();
        return { recorded, refused: true, unread, deferred: [...deferred] };
      }
      deps.log.warn(
        { err: (error as Error).message, channel: ref.channel, message: ref.id },
        'could not read back the reactions on a message',
      );
      unread.push(ref.id);
      continue;
    }
    for (const entry of reconcile(prompt, reactions)) {
      if (!entry.added) gone.push({ prompt, entry, at });
      else {
        if (entry.emoji === EMOJI.approve) found.add(`${prompt.asksFor}:${entry.userId}`);
        await record(prompt, entry, at);
      }
    }
  }
  await flush();
  if (recorded > 0) deps.log.info({ recorded }, 'reactions read back after a gap');
  return { recorded, refused: false, unread, deferred: [...deferred] };
}

/** Now in µs, as reactions' `at`. */
function nowMicros(): number {
  return Date.now() * 1000;
}

/** When the read-back looks again after a start or a new connection. */
export const SECOND_PASS_MS = 10_000;

/**
 * How often the messages the second pass could not read are read again, each wait twice the one before (from twice
 * SECOND_PASS_MS) up to RETRY_WAIT_MAX_MS: about twenty minutes in all. A gateway that drops often drops with the
 * platform's API having a bad moment, and an answer given meanwhile is on those messages only.
 */
export const UNREAD_RETRIES = 8;
export const RETRY_WAIT_MAX_MS = 5 * 60_000;

/** The read-back's passes: `run` at start and on each new connection, `stop` as the adapter stops. */
export interface ReactionReadBack {
  readonly run: () => void;
  /**
   * A pass over the prompts on one message only, now (its reactions were cleared, and the platform named nobody):
   * a counted ✅ found gone there is withdrawn.
   */
  readonly message: (messageId: string) => void;
  /** Cancels the second passes still to come, so none reads from a store being closed. */
  readonly stop: () => void;
}

/**
 * The read-back a chat adapter runs at start and on every new connection: a pass now and a second one
 * `secondPassMs` later, for a prompt posted just before a crash (the platform took it, the answer never came),
 * which is known again only once the send queue has found it on the platform after the restart. Once the platform
 * refuses (a missing permission, said once), no later pass is tried.
 */
export function createReactionReadBack(
  deps: CatchUpDeps,
  secondPassMs: number = SECOND_PASS_MS,
): ReactionReadBack {
  const seen = new Set<string>();
  let refused = false;
  let stopped = false;
  let first = true;
  const timers = new Set<NodeJS.Timeout>();
  const ended = (outcome: ReadBackOutcome) => {
    if (!first) return;
    first = false;
    deps.onFirstPass?.(outcome);
  };
  const later = (ms: number, then: () => void) => {
    const timer = setTimeout(() => {
      timers.delete(timer);
      then();
    }, ms).unref();
    timers.add(timer);
  };
  /**
   * A pass over the open prompts (`only` those on these messages, when given); from the second pass on (`tries`
   * set), the messages it could not read are read again later, with the same gap, until read or UNREAD_RETRIES.
   */
  const pass = (gapEnded: number, tries?: number, only?: ReadonlySet<string>) => {
    if (refused || stopped) return;
    const prompts =
      only === undefined
        ? deps.prompts
        : async () => (await deps.prompts()).filter((p) => only.has(p.ref.id));
    const again = (unread: ReadonlySet<string> | undefined) => {
      if (tries === undefined || refused || stopped) return;
      if (tries >= UNREAD_RETRIES) {
        deps.log.warn(
          { messages: [...(unread ?? only ?? [])], tries },
          'gave up reading back the reactions on messages: an answer given there while the bot could not hear it counts once it is given again',
        );
        return;
      }
      const wait = Math.min(secondPassMs * 2 ** (tries + 1), RETRY_WAIT_MAX_MS);
      later(wait, () => pass(gapEnded, tries + 1, unread));
    };
    catchUpReactions({ ...deps, prompts }, seen, gapEnded).then(
      (result) => {
        refused ||= result.refused;
        ended(result.refused ? 'refused' : 'read');
        if (result.unread.length > 0) again(new Set(result.unread));
        if (result.deferred.length > 0)
          later(secondPassMs, () => pass(gapEnded, undefined, new Set(result.deferred)));
      },
      (error: unknown) => {
        deps.log.warn({ err: (error as Error).message }, 'could not read back reactions');
        ended('failed');
        again(only);
      },
    );
  };
  return {
    run() {
      const gapEnded = nowMicros();
      pass(gapEnded);
      later(secondPassMs, () => pass(gapEnded, 0));
    },
    message(messageId) {
      if (refused || stopped) return;
      const prompts = async () => (await deps.prompts()).filter((p) => p.ref.id === messageId);
      catchUpReactions({ ...deps, prompts }, seen, nowMicros()).then(
        (result) => {
          refused ||= result.refused;
        },
        (error: unknown) =>
          deps.log.warn(
            { err: (error as Error).message, message: messageId },
            'could not read back reactions',
          ),
      );
    },
    stop() {
      stopped = true;
      for (const timer of timers) clearTimeout(timer);
      timers.clear();
    },
  };
}
