/**
 * Emoji that look like an answer and are none. Only ✅ approves and ❌ rejects a gate; 👀 or ✅ acknowledges an
 * incident. A ✔️ or 👍 from someone whose answer is awaited approves nothing, and they are told so, rather than left
 * believing they signed off (`LookAlikeReaction`). Names are canonical (Slack's, skin tone dropped; Discord's
 * Unicode is named the same by its adapter). A chat server's own (custom) emoji named as one of these, or as an answer
 * itself (a server's own `:white_check_mark:`), is a look-alike too: adapters name it `customEmoji(name)`.
 */
import { UserError } from '../errors.ts';
import { EMOJI } from './chat-types.ts';

/** Look-alikes of ✅, by canonical name, with how they show. */
export const APPROVE_LOOK_ALIKES: Readonly<Record<string, string>> = {
  heavy_check_mark: '✔️',
  ballot_box_with_check: '☑️',
  '+1': '👍',
  thumbsup: '👍',
  ok: '🆗',
  ok_hand: '👌',
};

/** Look-alikes of ❌: a rejection that is none lets the deployment go on once others approve. */
export const REJECT_LOOK_ALIKES: Readonly<Record<string, string>> = {
  heavy_multiplication_x: '✖️',
  negative_squared_cross_mark: '❎',
  '-1': '👎',
  thumbsdown: '👎',
  no_entry: '⛔',
  no_entry_sign: '🚫',
};

/** Look-alikes of 👀 (and of ✅, which acknowledges too). */
export const ACK_LOOK_ALIKES: Readonly<Record<string, string>> = {
  ...APPROVE_LOOK_ALIKES,
  eye: '👁️',
  'eye-in-speech-bubble': '👁️‍🗨️',
};

/** Look-alikes of 🔄, which asks for a rollback on an incident's message. */
export const ROLLBACK_LOOK_ALIKES: Readonly<Record<string, string>> = {
  repeat: '🔁',
  arrows_clockwise: '🔃',
  repeat_one: '🔂',
};

/** Every look-alike's canonical name: adapters that pass on only the emoji Preflight reads keep these too. */
export const LOOK_ALIKE_NAMES: ReadonlySet<string> = new Set([
  ...Object.keys(ACK_LOOK_ALIKES),
  ...Object.keys(REJECT_LOOK_ALIKES),
  ...Object.keys(ROLLBACK_LOOK_ALIKES),
]);

/** How an adapter names a chat server's own emoji called `name` (Discord's custom emoji): `custom:white_check_mark`. */
export function customEmoji(name: string): string {
  return `${CUSTOM_PREFIX}${name}`;
}
const CUSTOM_PREFIX = 'custom:';

/** How a server's own look-alike shows in an answer: by its name, as the emoji picker names it. */
const customShown = (name: string) => `server emoji :${name}:`;

/**
 * How look-alike `emoji` of an answer shows, when it is one in `table` or a server's own emoji named as one of them or
 * as the answer itself (one of `answers`); undefined for any other emoji.
 */
function lookAlikeIn(
  table: Readonly<Record<string, string>>,
  answers: readonly string[],
  emoji: string,
): string | undefined {
  if (Object.hasOwn(table, emoji)) return table[emoji];
  if (!emoji.startsWith(CUSTOM_PREFIX)) return undefined;
  const name = emoji.slice(CUSTOM_PREFIX.length).toLowerCase();
  return Object.hasOwn(table, name) || answers.includes(name) ? customShown(name) : undefined;
}

/** How a look-alike of ✅ shows (✔️, a server's own :white_check_mark: …); undefined for any other emoji. */
export const approveLookAlike = (emoji: string) => lookAlikeIn(APPROVE_LOOK_ALIKES, [EMOJI.approve], emoji);
/** How a look-alike of 👀 or ✅ shows; undefined for any other emoji. */
export const ackLookAlike = (emoji: string) =>
  lookAlikeIn(ACK_LOOK_ALIKES, [EMOJI.ack, EMOJI.approve], emoji);
/** How a look-alike of 🔄 shows; undefined for any other emoji. */
export const rollbackLookAlike = (emoji: string) =>
  lookAlikeIn(ROLLBACK_LOOK_ALIKES, [EMOJI.rollback], emoji);

/** What a look-alike on a gate's message was taken for, and how it shows; undefined for any other emoji. */
export function gateLookAlike(
  emoji: string,
): { readonly meant: 'approve' | 'reject'; readonly shown: string } | undefined {
  const approve = approveLookAlike(emoji);
  if (approve !== undefined) return { meant: 'approve', shown: approve };
  const reject = lookAlikeIn(REJECT_LOOK_ALIKES, [EMOJI.reject], emoji);
  return reject !== undefined ? { meant: 'reject', shown: reject } : undefined;
}

/**
 * A look-alike reaction from a person whose answer is awaited: said to them privately, once per person, message and
 * emoji (the dispatcher keeps the count), so reacting again does not repeat it.
 */
export class LookAlikeReaction extends UserError {
  constructor(message: string) {
    super('WRONG_STATE', message);
    this.name = 'LookAlikeReaction';
  }
}

/** The answer to a look-alike on a gate's message (or a reminder of it). */
export function gateLookAlikeText(
  shown: string,
  meant: 'approve' | 'reject',
  gateTitle: string,
  buttons: boolean,
): string {
  const [verb, noun, emoji, button] =
    meant === 'approve'
      ? ['approves', 'approval', '✅', 'Approve']
      : ['rejects', 'rejection', '❌', 'Reject'];
  return `a ${shown} ${verb} nothing, so no ${noun} of the *${gateTitle}* gate was counted: react ${emoji} on the gate's message${buttons ? `, or press its ${button} button` : ''}`;
}

/**
 * The answer to a ✅ on the note in an incident's thread that says a rollback waits for approval (it names the
 * approvers, and ✅): the approval counts on the rollback's own message, in the deployment's thread.
 */
export function rollbackNoteText(deploymentId: string, buttons: boolean): string {
  return `a ✅ on this note approves nothing, so no approval of the rollback of ${deploymentId} was counted and it still waits: react ✅ on the rollback's message in the ${deploymentId} thread${buttons ? ', press its Approve rollback button' : ''}, or type \`/rollback ${deploymentId}\``;
}

/** The answer to a look-alike of ✅ on a rollback's message, which waits for its approvers' ✅. */
export function rollbackLookAlikeText(shown: string, deploymentId: string, buttons: boolean): string {
  return `a ${shown} approves nothing, so no approval of the rollback of ${deploymentId} was counted: react ✅ on the rollback's message${buttons ? ', or press its Approve rollback button' : ''}`;
}

/** The answer to a look-alike of ✅ on a checklist item's message, which its owners tick with ✅. */
export function checklistLookAlikeText(shown: string, itemTitle: string, buttons: boolean): string {
  return `a ${shown} ticks nothing, so *${itemTitle}* is not done: react ✅ on its message${buttons ? ', or press its Done button' : ''}`;
}

/** The answer to a look-alike on an incident's message. */
export function ackLookAlikeText(shown: string, incidentId: string, buttons: boolean): string {
  return `a ${shown} acknowledges nothing, so ${incidentId} is not acknowledged and its paging goes on: react 👀 or ✅ on its message${buttons ? ', press its Acknowledge button' : ''}, or use \`/ack ${incidentId}\``;
}

/** The answer to a look-alike of 🔄 on an incident's message, from one who may roll its deployment back. */
export function rollbackAskLookAlikeText(shown: string, deploymentId: string, buttons: boolean): string {
  return `a ${shown} asks for nothing, so no rollback of ${deploymentId} was asked: react 🔄 on the incident's message${buttons ? `, press its Roll back ${deploymentId} button` : ''}, or type \`/rollback ${deploymentId}\``;
}
