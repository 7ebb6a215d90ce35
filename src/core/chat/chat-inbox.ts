/**
 * The chat inbox: what a chat adapter records before it acknowledges the platform. Recording is durable (Redis)
 * and keyed by the platform's delivery id, so a redelivery is recorded once and the work survives the process
 * that acknowledged it.
 */
import type { ButtonAction, Platform } from './chat-types.ts';

/** What happened in chat, without the platform's payload. */
export type InboxEvent =
  | { readonly type: 'command'; readonly text: string; readonly threadId?: string }
  | {
      readonly type: 'reaction';
      readonly messageId: string;
      readonly emoji: string;
      readonly added: boolean;
      /** When it was made (µs; Slack's event_ts, or when the gateway gave it): reactions apply in this order. */
      readonly at?: number;
      /** Read back after a gap (not delivered live): a refusal is not answered, as nobody is waiting for it. */
      readonly quiet?: true;
      /** Whether the message is one Preflight posted (Slack's item_user, Discord's message_author_id), where the platform says. */
      readonly ours?: boolean;
      /**
       * The platform gives the reaction no id (Discord), so another bot on the same token records its own entry of it:
       * only the delivery that applies first answers (ReactionClaims).
       */
      readonly unnamed?: true;
    }
  | {
      readonly type: 'button';
      readonly action: ButtonAction;
      readonly value: string;
      /** What the person wrote into the form the button opened (Discord: a rejection's reason). */
      readonly text?: string;
      /** The message the button is on (Slack ts, Discord snowflake): it must be one Preflight posted about `value`. */
      readonly messageId?: string;
    }
  | {
      readonly type: 'thread-message';
      readonly threadId: string;
      readonly text: string;
      /** When it was written (µs; Slack's ts): a rejection's reason is a reply written after the ❌. */
      readonly at?: number;
    }
  /** Someone deleted a message (the platform names neither who nor, always, what it said): one of Preflight's prompts is posted again. */
  | { readonly type: 'message-deleted'; readonly messageId: string };

/** One incoming event as the inbox keeps it. */
export interface InboxEntry {
  readonly platform: Platform;
  /** The platform's delivery id (Slack event_id or trigger_id, Discord interaction id): one entry per id. */
  readonly id: string;
  readonly userId: string;
  readonly channel: string;
  readonly event: InboxEvent;
  /** Where the answer goes, in the adapter's terms (Slack: the response_url; Discord: the interaction token). */
  readonly replyTo?: string;
  /** When Preflight received it (ms since the epoch): how old its reply link is (Slack's lasts 30 minutes). */
  readonly receivedAt?: number;
}

/**
 * The inbox port. An adapter calls `record` and acknowledges the platform only once it resolved; when it
 * rejects, the adapter answers with an error so the platform (or the person) tries again.
 */
export interface ChatInbox {
  /** Stores the entry durably; recording an id already recorded changes nothing. */
  record(entry: InboxEntry): Promise<void>;
  /**
   * Handles the entries of `platform` in this process (it can answer there). An entry whose handler throws or
   * whose process dies is handled again, here or in another process serving the platform.
   */
  serve(
    platform: Platform,
    handle: (entry: InboxEntry, answerOnce: AnswerOnce, handling: InboxHandling) => Promise<void>,
  ): void;
}

/** What a handler knows of this handling of an entry. */
export interface InboxHandling {
  /** Nothing handles the entry again after this: an InboxRetry thrown now gives it up. */
  readonly last: boolean;
}

/**
 * Sends an entry's answer unless another handling of the same entry sent it (an earlier one whose process died
 * after answering, before the inbox heard the entry was done) or is sending it (one running at the same time in
 * another process; if that one dies mid-answer, the entry is retried and answered): the person is answered once,
 * not once per handling, and not never.
 */
export type AnswerOnce = (send: (attempt: AnswerAttempt) => Promise<void>) => Promise<void>;

/** What a send of an entry's answer knows of the sends before it. */
export interface AnswerAttempt {
  /**
   * An earlier handling began to send this answer and did not see it through (its post timed out or failed, or its
   * process died): the answer may have reached the person already, so a send again must not show it twice.
   */
  readonly again: boolean;
}

/**
 * Thrown by `record` when Redis took the entry but did not confirm it in time (a failover under way): it may still
 * be recorded and take effect, so the person must not be told that nothing was done.
 */
export class RecordUncertain extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'RecordUncertain';
  }
}

/** What a person is told when their command or click could not be recorded, as the failure was. */
export function notRecordedText(error: unknown): string {
  return error instanceof RecordUncertain
    ? '⚠️ Preflight could not confirm it recorded that (its Redis was slow to answer); it may still take effect. Look at the thread or /deploy status before you try again.'
    : '⚠️ Preflight could not record that just now (its Redis did not answer); nothing was done. Try again in a moment.';
}

/** Thrown by a handler when the entry cannot be handled yet (e.g. its message is not indexed yet): retried. */
export class InboxRetry extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'InboxRetry';
  }
}

/**
 * Applies one person's reactions with one emoji on one message in the order they were made, whatever order they are
 * handled in (the inbox handles entries side by side): `run` applies unless a later reaction of the same key (a
 * larger `at`) was applied already, and never two of one key at once. A ✅ removed right after it was added then
 * ends withdrawn, as on the message. `read`, when given, goes with the taking of the lock rather than a round trip
 * after it, and is read after the lock was taken (so it sees what the reaction before applied): `apply` gets it.
 */
export interface ReactionOrder {
  run<T = undefined>(
    key: string,
    at: number,
    apply: (read?: T) => Promise<void>,
    read?: () => Promise<T>,
  ): Promise<'applied' | 'overtaken'>;
}

/**
 * Tells the deliveries of one reaction apart from a reaction made again, where the platform gives a reaction no id
 * (two bots on one Discord token each hear every reaction): `claim(key, request, at, ms)` is true for the first
 * request that claims `key` within `ms`, and again for that same request (its handling retried); false for any other.
 * `release(key, at)` ends a claim made before `at` (µs), once the person reacted the other way then (so a ✅ taken
 * off and put on again is new); a claim made after it stays, whatever order the deliveries are handled in.
 */
export interface ReactionClaims {
  claim(key: string, request: string, at: number, ms: number): Promise<boolean>;
  release(key: string, at: number): Promise<void>;
}

/**
 * A cap on what people can make Preflight say where others read it: `take(key, ms)` gives the first asking of `key`
 * within `ms`, in every process (durable in Redis), a hold, and the others undefined. The hold is taken before the
 * notice is said, so two processes never both say it; a notice that could not be said is given back
 * (`giveBack`, which removes the hold only while it is still this one), so the next asking says it.
 */
export interface NoticeLimit {
  take(key: string, ms: number): Promise<NoticeHold | undefined>;
  /** True while a take of `key` holds (taken, neither given back nor expired). */
  held(key: string): Promise<boolean>;
}

/** One taken notice: given back when the notice could not be said. */
export interface NoticeHold {
  giveBack(): Promise<void>;
}
