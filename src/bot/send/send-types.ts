/** Types shared by the deployment and incident senders. */
import {
  type ChatDelivery,
  type ChatPort,
  ChatSendError,
  type EngineDeps,
  type MessageIndex,
  type Platform,
  type SendOutcome,
  ThreadClosedError,
} from '../../core/index.ts';

export interface SendLog {
  warn(obj: object, msg?: string): void;
}

/** A queued delivery, as the sender sees it. */
export type Delivery = Pick<ChatDelivery, 'kind' | 'payload' | 'also'>;

/** What the sender answers the send queue. */
export type Sent = SendOutcome;

export interface ChatSenderDeps {
  readonly ports: Partial<Record<Platform, ChatPort>>;
  readonly engine: EngineDeps;
  readonly index: MessageIndex;
  /** Rasterises an SVG to PNG, for the timeline picture attached to final reports; none: no picture. */
  readonly renderPng?: (svg: string) => Uint8Array | Promise<Uint8Array>;
  /** Where a picture that could not be drawn is told. */
  readonly log?: SendLog;
  /** Queues a note in an incident's thread (where a direct-message page that could not be delivered is said). */
  readonly noteIncident?: (incidentId: string, key: string, text: string) => Promise<void>;
}

/** Maps a port's failure to what the send queue does next. */
export function toSent(error: unknown): Sent {
  if (error instanceof ChatSendError) {
    if (error.kind === 'rate-limited')
      return { status: 'rate-limited', retryAfterMs: error.retryAfterMs ?? 1_000 };
    if (error.kind === 'unsure')
      return {
        status: 'unsure',
        reason: error.message,
        ...(error.retryAfterMs !== undefined && { retryAfterMs: error.retryAfterMs }),
      };
    if (error.kind === 'refused') return { status: 'refused', reason: error.message };
    if (error instanceof ThreadClosedError && error.known)
      return { status: 'drop', reason: error.message, quiet: true, untried: true };
    return error.kind === 'drop'
      ? { status: 'drop', reason: error.message }
      : { status: 'retry', reason: error.message };
  }
  return { status: 'retry', reason: (error as Error).message };
}

/**
 * A message the channel refuses waits for it (the queue tries its thread again) while its deployment or incident
 * is open, because someone may have to act on it. Once that is over it is given up, and so is its attempt (a
 * refused lookup leaves one noted), so the replies under it stop waiting for it.
 */
export async function keepWhileOpen(
  sent: Sent,
  open: boolean,
  forgetAttempt: () => Promise<void>,
): Promise<Sent> {
  if (sent.status !== 'refused' || open) return sent;
  await forgetAttempt();
  return { status: 'drop', reason: `${sent.reason} (no longer waited for: it is over)` };
}
