/**
 * Whether a button press may act on what its value names. A button carries the id of its deployment or incident
 * (`toy-3:security`, `INC-2`), and ids are numbered from 1 again when Preflight starts on fresh Redis data, so a
 * press on a message an earlier Preflight posted could act on whatever now has that id: another version's gate, an
 * incident nobody has looked at. A press counts only on a message the message index knows as one of that
 * deployment's or incident's (an incident's message also carries its deployment's Roll back), and, on a deployment's
 * message, only for the prompt that message is (`buttonPrompt`). A value that names
 * neither (empty, `:`, garbled: no Slack button Preflight posted has one), or an incident's or rollback's value with
 * more after its id, is refused before anything is looked up by it, on every platform alike. A press on a message
 * the index does not know yet, while a post of Preflight's is unconfirmed, waits for it as a reaction does (the
 * message may be that post), and is then checked the same way. Who may do what the button asks is decided later,
 * by the core, as for the command.
 */
import { DEPLOYMENT_ID } from '../commands/find-deployment.ts';
import { isIncidentId } from '../commands/reactions.ts';
import {
  type ButtonAction,
  buttonPrompt,
  describeMessageKey,
  InboxRetry,
  type IncidentStore,
  type MessageIndex,
  type Platform,
  THING_OF_MESSAGE,
  UserError,
  valueOfPrompt,
} from '../core/index.ts';

export interface ButtonOriginDeps {
  readonly index: Pick<MessageIndex, 'lookup' | 'unconfirmed'>;
  readonly incidents: Pick<IncidentStore, 'get'>;
  /**
   * The press will be handled again if it throws InboxRetry: one on a message the index does not know is held while
   * a post on its platform is unconfirmed (it may be that post, shown to people before its answer reached Preflight),
   * as a reaction is; only its last handling refuses it.
   */
  readonly mayHold?: boolean;
}

export interface PressedButton {
  readonly platform: Platform;
  readonly action: ButtonAction;
  readonly channel: string;
  /** The message the button is on (a form's: the message whose button opened it); without it, nothing is done. */
  readonly messageId?: string;
  readonly value: string;
}

/** `toy-3:security` → `toy-3`; `INC-2:stop` → `INC-2`; `INC-2` → `INC-2`. */
export const subjectOfButton = (value: string): string => value.split(':')[0] ?? '';

const INCIDENT_ID = /^INC-\d+$/;
const NAMED = (subject: string) => DEPLOYMENT_ID.test(subject) || INCIDENT_ID.test(subject);

/**
 * The values Preflight puts on the buttons whose value is an id and no more (or an id and a fixed word): anything
 * after it (`INC-3:zzz`) is no button Preflight posted. Buttons that name a gate, item or choice are left to the
 * core, which quotes what they name.
 */
const EXACT_VALUE: Partial<Record<ButtonAction, (value: string) => boolean>> = {
  'incident.ack': (value) => INCIDENT_ID.test(value),
  'incident.emergency': (value) => /^INC-\d+:(?:stop|logs)$/.test(value),
  'rollback.request': (value) => DEPLOYMENT_ID.test(value),
  'rollback.approve': (value) => DEPLOYMENT_ID.test(value),
};

const statusOf = (id: string) => (isIncidentId(id) ? `/incident status ${id}` : `/deploy status ${id}`);

/** What to do when the button could not be used: the command, and the buttons on the current message. */
const seeInstead = (id: string | undefined) =>
  id === undefined
    ? 'See `/deploy status` (or `/incident status`), and use the command'
    : `See \`${statusOf(id)}\`, and use the buttons on its current message or the command`;

/** A press on its deployment's message counts only on the prompt it answers (one gate's Approve, not another's). */
function checkOwnPrompt(press: PressedButton, subject: string, key: string): void {
  const prompt = buttonPrompt(press.action, press.value);
  if (prompt === undefined || prompt(key)) return;
  // What the value names is not repeated: it is the sender's text, and this message has no quoting of it.
  throw new UserError(
    'WRONG_STATE',
    `this button is not one Preflight put on the message it was pressed on (the message of ${describeMessageKey(key)} of ${subject}); nothing was done. See \`${statusOf(subject)}\`, and use the buttons on the message of what you meant, or the command.`,
  );
}

/** Where a press may act: the pressed message's topic key (when it is the subject's own) and the button's whole value. */
export interface ButtonOrigin {
  readonly key?: string;
  readonly value: string;
}

/**
 * Throws a UserError saying what to do when the value names nothing, or the pressed message is not its subject's.
 * Returns the pressed message's topic key when it is the subject's own (`rollback:<at>`: which rollback it is about),
 * and the button's whole value (one cut to fit the platform names its prompt by the message: THING_OF_MESSAGE).
 */
export async function checkButtonOrigin(deps: ButtonOriginDeps, press: PressedButton): Promise<ButtonOrigin> {
  const subject = subjectOfButton(press.value);
  const pressed =
    press.messageId === undefined
      ? undefined
      : await deps.index.lookup(press.platform, press.channel, press.messageId);
  const owner = pressed?.deploymentId;
  if (!NAMED(subject))
    throw new UserError(
      'BAD_COMMAND',
      `this button does not say which deployment or incident it is for (its value is empty or garbled); nothing was done. ${seeInstead(owner)}.`,
    );
  if (EXACT_VALUE[press.action]?.(press.value) === false)
    throw new UserError(
      'BAD_COMMAND',
      `this button is not understood (its value is not one Preflight puts on it; it may be from an older version of Preflight); nothing was done. ${seeInstead(owner ?? subject)}.`,
    );
  // Every platform says which message was pressed (a Discord form: the message whose button opened it); a press
  // without it (forged) could act on whatever its value names, on no message of it.
  if (press.messageId === undefined)
    throw new UserError(
      'BAD_COMMAND',
      `this button or form came without the message it belongs to, so Preflight cannot tell which prompt it answers; nothing was done. ${seeInstead(subject)}.`,
    );
  const ofMessage = press.value === `${subject}:${THING_OF_MESSAGE}`;
  if (owner === subject) {
    const key = pressed?.key ?? '';
    const value = ofMessage ? valueOfPrompt(press.action, subject, key) : press.value;
    if (value === undefined)
      throw new UserError(
        'BAD_COMMAND',
        `this button is not understood (it is not one Preflight puts on the message of ${describeMessageKey(key)}); nothing was done. ${seeInstead(subject)}.`,
      );
    checkOwnPrompt({ ...press, value }, subject, key);
    return { ...(pressed?.key !== undefined && { key: pressed.key }), value };
  }
  if (
    owner !== undefined &&
    isIncidentId(owner) &&
    (await deps.incidents.get(owner))?.deploymentId === subject &&
    !ofMessage
  )
    return { value: press.value };
  if (owner === undefined && deps.mayHold && (await deps.index.unconfirmed(press.platform)))
    throw new InboxRetry(`message ${press.messageId} is not known (yet)`);
  const what =
    owner === undefined
      ? `a message Preflight has no record of (posted before its data was reset, or more than 90 days ago), so ${subject} may now be something else`
      : `a message about ${owner}, not ${subject}`;
  throw new UserError('WRONG_STATE', `this button is on ${what}; nothing was done. ${seeInstead(subject)}.`);
}
