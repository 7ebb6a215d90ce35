/** Platform-neutral chat: messages, references and the chat port every adapter implements. */
import type { RunbookPerson } from '../runbook/schema.ts';

export const PLATFORMS = ['slack', 'discord', 'console'] as const;
export type Platform = (typeof PLATFORMS)[number];

/**
 * Whether Preflight reads what people write in a thread on the platform. Discord's message text needs the privileged
 * Message Content intent, which Preflight does not ask for: there, what a person is asked to write (a rejection's
 * reason) is asked for by a form instead, and never by "reply in this thread".
 */
export const readsThreadReplies = (platform: Platform): boolean => platform !== 'discord';

/** A posted message, stable across restarts: enough to edit it, reply in its thread, or find it from a reaction. */
export interface MessageRef {
  readonly platform: Platform;
  /** The platform's channel id (a Slack C…, a Discord snowflake, a console channel name). */
  readonly channel: string;
  /** The message id (Slack ts, Discord snowflake, console m12). */
  readonly id: string;
  /** The thread the message is in, when it is a reply. */
  readonly thread?: string;
}

/** What a button does; the same as the matching emoji reaction. */
export const BUTTON_ACTIONS = [
  'gate.approve',
  'gate.reject',
  'gate.reason',
  'checklist.tick',
  'rollback.request',
  'rollback.approve',
  'decide',
  'incident.ack',
  'task.tick',
  'incident.emergency',
] as const;
export type ButtonAction = (typeof BUTTON_ACTIONS)[number];

export interface ChatButton {
  readonly action: ButtonAction;
  readonly label: string;
  /** Carried back when clicked: deployment id and what the button is about, e.g. `sparkle-3:security`. */
  readonly value: string;
  readonly style?: 'primary' | 'danger';
}

/** A message: text with `@{person}` mentions and light markup (`*bold*`, `` `code` ``), optional buttons and file. */
export interface ChatMessage {
  readonly text: string;
  readonly buttons?: readonly ChatButton[];
  /** Long output: posted as a file where the platform can, never truncated silently. */
  readonly attachment?: { readonly name: string; readonly content: string };
  /** A picture (the deployment's timeline): posted as an image file in the message's thread. */
  readonly image?: { readonly name: string; readonly png: Uint8Array; readonly alt: string };
  /** Shown as the colour of the message where the platform has one. */
  readonly tone?: 'neutral' | 'good' | 'warning' | 'bad';
}

/** The emoji Preflight understands, by canonical name. */
export const EMOJI = {
  approve: 'white_check_mark',
  reject: 'x',
  rollback: 'arrows_counterclockwise',
  ack: 'eyes',
} as const;

/** How a post is told apart from every other: carried where the platform keeps it (Slack metadata, Discord nonce). */
export interface PostOptions {
  /** The send queue's key for the post, e.g. `sparkle-1:gate:security`. */
  readonly deliveryId?: string;
}

/** Where to look for a post whose outcome is unknown (its process died between the send and Slack's answer). */
export interface DeliverySearch {
  /** The channel, by name or id, as given to `post`. */
  readonly channel: string;
  readonly deliveryId: string;
  /** The thread it was a reply in. */
  readonly thread?: MessageRef;
  /** When the first attempt started (ms): nothing older is looked at. */
  readonly since: number;
  /** What was sent: a platform that keeps no delivery id on its messages compares it (Discord). */
  readonly message?: ChatMessage;
  /** True when a message is known as another delivery's post, so a look-alike is not taken for this one. */
  readonly claimed?: (ref: MessageRef) => Promise<boolean>;
}

/** What a chat platform can do for Preflight. */
export interface ChatPort {
  readonly platform: Platform;
  /** Posts to a channel (by name, e.g. `#deployments`, or id), optionally as a reply in a thread. */
  post(
    channel: string,
    message: ChatMessage,
    thread?: MessageRef,
    options?: PostOptions,
  ): Promise<MessageRef>;
  /**
   * Finds a post made earlier with this delivery id, so a send whose outcome is unknown is not made twice. When
   * more than one copy exists, the strays are removed and the first is returned. Platforms that cannot look up
   * their messages leave it out (their sends are then at least once).
   */
  findDelivery?(search: DeliverySearch): Promise<MessageRef | undefined>;
  update(ref: MessageRef, message: ChatMessage): Promise<void>;
  react(ref: MessageRef, emoji: string): Promise<void>;
  /**
   * The people's reactions on one of Preflight's messages among `emoji` (canonical names, EMOJI), the bot's own
   * left out: what was answered there, whether a process heard it or not. Platforms that cannot read them leave it out.
   */
  reactions?(
    ref: MessageRef,
    emoji: readonly string[],
  ): Promise<readonly { readonly emoji: string; readonly userId: string }[]>;
  directMessage(userId: string, message: ChatMessage): Promise<MessageRef>;
  /**
   * The id of the direct-message channel with a user, to `post` into like any channel: a direct message then
   * carries a delivery id and is found again (`findDelivery`) rather than sent twice after a cut-off send.
   * Platforms without it send direct messages at least once, through `directMessage`.
   */
  directChannel?(userId: string): Promise<string>;
  /** The platform user id of a runbook person, if the runbook names one for this platform. */
  userIdOf(personId: string, person: RunbookPerson | undefined): string | undefined;
  /** A mention of a user, or the plain name when the person has no id here. */
  mention(userId: string | undefined, name: string): string;
  /**
   * A link to a channel given by name (`#deployments`) or id, in the platform's markup. Platforms without channel
   * links leave it out (the name is shown as written); a channel that cannot be resolved shows as its name.
   */
  linkChannel?(channel: string): Promise<string>;
  /**
   * A link to the thread under `root` (a thread's first message), shown as `label`, as light markup
   * (`[label](url)`); undefined when the platform cannot make one now. Never throws.
   */
  linkThread?(root: MessageRef, label: string): Promise<string | undefined>;
  /** True while the thread under `root` is known to take no more posts (deleted, or archived and locked). */
  threadClosed?(root: MessageRef): Promise<boolean>;
}

/**
 * Why a send failed, for the send queue: wait and resend, retry later, or give up; `unsure` when a post that may
 * have gone out could not be looked up, `refused` when the channel refuses Preflight until a person gives it
 * access again (see SendOutcome).
 */
export class ChatSendError extends Error {
  readonly kind: 'rate-limited' | 'retry' | 'drop' | 'unsure' | 'refused';
  readonly retryAfterMs: number | undefined;

  constructor(kind: ChatSendError['kind'], message: string, retryAfterMs?: number) {
    super(message);
    this.name = 'ChatSendError';
    this.kind = kind;
    this.retryAfterMs = retryAfterMs;
  }
}

/**
 * A post given up because its thread takes no more posts (deleted, or archived and locked): every later reply in
 * that thread would be given up too, so the people who wait on the thread are told (send/channel-refused.ts).
 * `known`: the thread was already known to be closed, so the post was not even tried (and is not logged again).
 * `deleted`: the id of the thread when it is gone (deleted), not merely locked: a new one can take its place.
 */
export class ThreadClosedError extends ChatSendError {
  readonly known: boolean;
  readonly deleted: string | undefined;

  constructor(message: string, options: { readonly known?: boolean; readonly deleted?: string } = {}) {
    super('drop', message);
    this.name = 'ThreadClosedError';
    this.known = options.known ?? false;
    this.deleted = options.deleted;
  }
}

/**
 * A message given up because it is no longer there (someone deleted it; Slack: message_not_found, Discord: Unknown
 * Message): an edit of a thread's first message that finds it gone starts the thread anew where that is done.
 */
export class MessageGoneError extends ChatSendError {
  constructor(message: string) {
    super('drop', message);
    this.name = 'MessageGoneError';
  }
}

/** One message to send through the chat send queue: queued by the notifier, sent by an adapter's sender. */
export interface ChatDelivery {
  /** Channel key: platform + channel, e.g. `slack:#deployments`. Ordering and rate limits are per channel. */
  readonly channel: string;
  /** `post` appends a message; `refresh` re-renders one posted before (an edit). */
  readonly kind: 'post' | 'refresh';
  /**
   * What is sent, e.g. `sparkle-1:status` or `sparkle-1:gate:security`. Queued refreshes with the same key are
   * coalesced into one; posts with the same key are sent once.
   */
  readonly key: string;
  /** What the sender needs to render it (deployment or incident id and topic). */
  readonly payload: unknown;
  /** A person must act on it (gate, decision, incident, page): sent before informational messages. */
  readonly urgent?: boolean;
  /** The deployment or incident whose thread it belongs to: posts of one thread keep their order. */
  readonly thread?: string;
  /** The post the thread's replies go under (a status message, an incident): they need it posted first. */
  readonly root?: boolean;
  /** Queued mergeable posts of one thread (step results) go out together as one message. */
  readonly mergeable?: boolean;
  /**
   * Posts of a channel with the same `supersedes` stand for one thing of which only the newest matters (an
   * incident's pages): queuing one removes the one still waiting, so a chat that was away (an outage, a terminal
   * attached later) gets the latest page once, not the backlog of every repeat. The newest always goes out.
   */
  readonly supersedes?: string;
  /** Set by the queue: further mergeable posts of the thread, sent in the same message after this one. */
  readonly also?: readonly { readonly key: string; readonly payload: unknown }[];
}

/** The sender's verdict on one attempt; the queue decides from it what happens to the message. */
export type SendOutcome =
  | { readonly status: 'sent' }
  /** e.g. HTTP 429 Retry-After: the channel waits that long, then sends the same message again. */
  | { readonly status: 'rate-limited'; readonly retryAfterMs: number }
  /** 5xx, network error: sent again after an exponential backoff with jitter. */
  | { readonly status: 'retry'; readonly reason: string }
  /**
   * Permanent (a layout the platform rejects, a message gone): logged and removed, not retried. `stale`: nothing
   * went wrong, the message no longer applies (a page of an incident someone acknowledged meanwhile). `quiet`: its
   * reason was logged once already (a reply to a thread known to take no more posts): not logged again.
   * `untried`: nothing was asked of the platform, so the channel's pace turn it took is given back.
   */
  | {
      readonly status: 'drop';
      readonly reason: string;
      readonly stale?: boolean;
      readonly quiet?: boolean;
      readonly untried?: boolean;
    }
  /**
   * The channel refuses Preflight (removed from it, archived, a permission missing) until a person fixes that,
   * while its deployment or incident is still open: the message stays queued, and with it the rest of its thread
   * (order is kept); the thread is tried again on a backoff of its own (up to every minute), and at once after a
   * post in that channel goes through. The rest of the channel goes on meanwhile.
   */
  | { readonly status: 'refused'; readonly reason: string }
  /**
   * A post tried before (cut off, timed out, 5xx) may have gone out, and looking it up failed: it is looked up
   * again later (not before `retryAfterMs` when given), and only it and what needs it wait; the rest of the
   * channel goes on (chat-send-pick.ts). A reply whose thread's first message is in doubt is too (post-once.ts).
   */
  | { readonly status: 'unsure'; readonly reason: string; readonly retryAfterMs?: number };
