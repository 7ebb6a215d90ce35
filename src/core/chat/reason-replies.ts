/**
 * A gate's rejection reason typed as a thread reply can be handled before the ❌ it explains: the inbox handles
 * entries side by side, and a process that dies holding the ❌'s entry holds it back for seconds. So a reply that is
 * not taken when it is handled is kept a few minutes with the platform's time of it, and so is the platform's time
 * of a ❌ that rejected a gate without a reason. Each side looks for the other in the same step that records it, so
 * whichever is handled second finds the first. Times are the platform's, in µs (Slack: a reply's `ts`, a reaction's
 * `event_ts`); a key is one person in one deployment's thread.
 */

/** A person's reply as kept: when they wrote it (µs) and what it says (credentials masked, clipped). */
export interface KeptReply {
  readonly at: number;
  readonly text: string;
}

/** What is known of a key: when its ❌ was made (µs), and the first reply kept that was written after it. */
export interface ReasonMatch {
  readonly rejectedAt?: number;
  readonly reason?: string;
}

/** Replies and ❌ times kept for a few minutes (see above). */
export interface ReasonReplies {
  /** Keeps a reply for `ms`; answers with the key's ❌ time when one was recorded, and the reply to take then. */
  keep(key: string, reply: KeptReply, ms: number): Promise<ReasonMatch>;
  /** Records a ❌ made at `at` (the earliest recorded stays) for `ms`; answers as `keep` does. */
  rejected(key: string, at: number, ms: number): Promise<ReasonMatch>;
}
