/** What a person did, in words they recognise, for an answer that comes late (its reply link gone). */
import { type InboxEntry, literal } from '../core/index.ts';
import { DECISION_LABELS } from './render/render-steps.ts';

/** The words of the buttons, as the messages show them. */
const BUTTON_WORDS: Readonly<Record<string, string>> = {
  'gate.approve': 'Approve',
  'gate.reject': 'Reject',
  'gate.reason': 'Give the reason',
  'checklist.tick': 'Done',
  'task.tick': 'Done',
  'rollback.request': 'Roll back',
  'rollback.approve': 'Approve rollback',
  'incident.ack': 'Acknowledge',
};

/** What the person did, as they would recognise it (core text: what they typed is a literal). */
export function whatWasDone(event: InboxEntry['event']): string {
  if (event.type === 'command') return literal(event.text.replace(/ -- /, ' '));
  if (event.type === 'button') {
    // `toy-1:skip:1764751234567`, `INC-2:stop`: the button's words follow from what it chose.
    const chosen = event.value.split(':')[1] ?? '';
    const word =
      event.action === 'decide'
        ? DECISION_LABELS[chosen]
        : event.action === 'incident.emergency' && (chosen === 'stop' || chosen === 'logs')
          ? `Emergency ${chosen}`
          : BUTTON_WORDS[event.action];
    return word ? `your click on ${word}` : 'your click on a button';
  }
  return 'that';
}
