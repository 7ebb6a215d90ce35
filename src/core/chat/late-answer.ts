/**
 * A late answer meant for a channel: the answer to a command whose reply link the platform no longer takes (Slack's
 * response_url after 30 minutes or 5 uses), which everyone in the channel would have seen (a lock, an abort, a
 * decision). It goes through the chat send queue, paced with the channel's other posts and kept until it is sent,
 * once per entry; where the channel refuses it, the person who asked is told by direct message.
 */
import type { ChatDelivery, Platform } from './chat-types.ts';

export interface LateAnswer {
  readonly platform: Platform;
  /** The inbox entry it answers. */
  readonly entryId: string;
  /** The channel the person asked in (the platform's id). */
  readonly channel: string;
  /**
   * The runbook's name for that channel (`#deployments`) when it is one of a runbook's channels: the send queue
   * keys a channel's deployment posts by that name, and the late answer, queued with them, shares their pace.
   */
  readonly queueChannel?: string;
  readonly userId: string;
  /** Core text for the channel (it names the person) and for the person alone, should the channel refuse it. */
  readonly inChannel: string;
  readonly privately: string;
}

/** The send queue's payload for a late answer. */
export interface LateAnswerPayload {
  readonly lateAnswer: LateAnswer;
}

/**
 * The delivery that posts `answer` in its channel: one per entry (the queue sends a key's post once), in the
 * channel's queue as the runbook names it where it does, so the channel's posts are paced together.
 */
export function lateAnswerDelivery(answer: LateAnswer): ChatDelivery {
  const payload: LateAnswerPayload = { lateAnswer: answer };
  return {
    channel: `${answer.platform}:${answer.queueChannel ?? answer.channel}`,
    kind: 'post',
    key: lateAnswerKey(answer),
    payload,
  };
}

/** The delivery id of a late answer's post (also its key in the send queue). */
export const lateAnswerKey = (answer: Pick<LateAnswer, 'platform' | 'entryId'>): string =>
  `answer:${answer.platform}:${answer.entryId}`;

/** Whether a queued payload is a late answer's. */
export function isLateAnswer(payload: unknown): payload is LateAnswerPayload {
  return typeof payload === 'object' && payload !== null && 'lateAnswer' in payload;
}
