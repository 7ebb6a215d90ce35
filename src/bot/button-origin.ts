/**
 * Whether a button press may act on what its value names. A button carries the id of its deployment or incident
 * (`toy-3:security`, `INC-2`), and ids are numbered from 1 again when Preflight starts on fresh Redis data, so a
 * press on a message an earlier Preflight posted could act on whatever now has that id: another version's gate, an
 * incident nobody has looked at. A press counts only on a message the message index knows as one of that
 * deployment's or incident's (an incident's message also carries its deployment's Roll back).
 */
import { isIncidentId } from '../commands/reactions.ts';
import { type IncidentStore, type MessageIndex, type Platform, UserError } from '../core/index.ts';

export interface ButtonOriginDeps {
  readonly index: Pick<MessageIndex, 'lookup'>;
  readonly incidents: Pick<IncidentStore, 'get'>;
}

export interface PressedButton {
  readonly platform: Platform;
  readonly channel: string;
  readonly messageId: string;
  readonly value: string;
}

/** `toy-3:security` → `toy-3`; `INC-2:stop` → `INC-2`; `INC-2` → `INC-2`. */
export const subjectOfButton = (value: string): string => value.split(':')[0] ?? '';

/** Throws a UserError saying what to do when the pressed message is not one of its subject's. */
export async function checkButtonOrigin(deps: ButtonOriginDeps, press: PressedButton): Promise<void> {
  const subject = subjectOfButton(press.value);
  const owner = (await deps.index.lookup(press.platform, press.channel, press.messageId))?.deploymentId;
  if (owner === subject) return;
  if (
    owner !== undefined &&
    isIncidentId(owner) &&
    (await deps.incidents.get(owner))?.deploymentId === subject
  )
    return;
  const status = isIncidentId(subject) ? `/incident status ${subject}` : `/deploy status ${subject}`;
  const what =
    owner === undefined
      ? `a message Preflight has no record of (posted before its data was reset, or more than 90 days ago), so ${subject} may now be something else`
      : `a message about ${owner}, not ${subject}`;
  throw new UserError(
    'WRONG_STATE',
    `this button is on ${what}; nothing was done. See \`${status}\`, and use the buttons on its current message or the command.`,
  );
}
