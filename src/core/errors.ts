/** Expected failures: typed values with a code and a message fit for the person who caused them. */
import { quoted } from './chat/outside-text.ts';

export const ERROR_CODES = [
  'BAD_COMMAND',
  'UNKNOWN_SERVICE',
  'UNKNOWN_ENVIRONMENT',
  'UNKNOWN_DEPLOYMENT',
  'BAD_PARAMETER',
  'MISSING_ENV',
  'NOT_PERMITTED',
  'NOT_AN_APPROVER',
  'SELF_APPROVAL',
  'NOT_THE_OWNER',
  'WINDOW_CLOSED',
  'LOCKED',
  'WRONG_STATE',
  'ALREADY_DONE',
  'GATE_CLOSED',
  'UNKNOWN_PERSON',
  'NO_INCIDENT',
] as const;

export type ErrorCode = (typeof ERROR_CODES)[number];

/** An error a user caused: safe to show in chat, says what to do. */
export class UserError extends Error {
  readonly code: ErrorCode;

  constructor(code: ErrorCode, message: string) {
    super(message);
    this.name = 'UserError';
    this.code = code;
  }
}

/** Narrowing helper for catch blocks. */
export function isUserError(error: unknown): error is UserError {
  return error instanceof UserError;
}

/** An incident id that names none: the person is told where the open ones are listed. */
export function noSuchIncident(id: string): UserError {
  return new UserError(
    'NO_INCIDENT',
    `there is no incident ${quoted(id)}; see /incident status for the open ones`,
  );
}
