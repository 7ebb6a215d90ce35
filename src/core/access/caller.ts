/** Who asks for an action, as an adapter knows them, and the way the request came in. */
import type { Platform } from '../chat/chat-types.ts';
import type { ErrorCode } from '../errors.ts';

/** The ways a request reaches the core. A refusal records which one was used. */
export const INPUT_PATHS = [
  'command',
  'reaction',
  'button',
  'thread-reply',
  'webhook',
  'job',
  'api',
] as const;
export type InputPath = (typeof INPUT_PATHS)[number];

/**
 * A person as the adapter sees them: the platform and its user id (on the terminal, the runbook person id), and
 * the input path. The core turns the user id into a runbook person and decides; adapters never do.
 */
export interface Caller {
  readonly platform: Platform;
  readonly userId: string;
  readonly via: InputPath;
  /**
   * The platform's id of this one request (its inbox entry). A request handled again, as when its process died
   * after acting and before the inbox heard it was done, takes effect once: the core marks what it did with it.
   */
  readonly request?: string;
}

/** Codes of refusals about who the person is or what they may do (audited and counted, unlike WRONG_STATE). */
export const ACCESS_REFUSALS: readonly ErrorCode[] = [
  'UNKNOWN_PERSON',
  'NOT_PERMITTED',
  'NOT_AN_APPROVER',
  'SELF_APPROVAL',
  'NOT_THE_OWNER',
];

/** True when an error code says the person may not do what they asked. */
export function isAccessRefusal(code: ErrorCode): boolean {
  return ACCESS_REFUSALS.includes(code);
}

/** One refused request: written to the audit log of what it was about, and counted. */
export interface Refusal {
  /** The deployment, incident or `lock:<service>:<environment>` / `service:<service>` the request was about. */
  readonly subject: string;
  /** The event type or action name: `rollback.request`, `start`, `lock`. */
  readonly action: string;
  /** The runbook person, or `<platform>:<user id>` when the runbook does not know them. */
  readonly actor: string;
  readonly via: InputPath;
  readonly code: ErrorCode;
  /** The refusal as the person saw it. */
  readonly reason: string;
  /** The platform's id of the request (`Caller.request`): one handled again is recorded and counted once. */
  readonly request?: string;
}

/** How a caller is named in the audit log when the runbook does not know them. */
export const describeCaller = (caller: Pick<Caller, 'platform' | 'userId'>): string =>
  `${caller.platform}:${caller.userId}`;
