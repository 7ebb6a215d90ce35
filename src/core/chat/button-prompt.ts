/**
 * Which prompt a deployment's button answers. A press counts only on that prompt's own message, as a ✅ there counts
 * only for it: Approve on one gate's message never approves another gate, whatever the button's value says.
 */
import type { ButtonAction } from './chat-types.ts';

/** The prompt a button answers: true when the message with this key (`topicKey`) is the prompt's own. */
export type ButtonPrompt = (key: string) => boolean;

const exactly =
  (key: string): ButtonPrompt =>
  (k) =>
    k === key;
const kindOf =
  (kind: string): ButtonPrompt =>
  (k) =>
    k.startsWith(`${kind}:`);

/**
 * The prompt a deployment's button (`<deployment>:<thing>`) answers, or undefined for one that any message of its
 * deployment or incident may carry (Roll back) and for values that name nothing (refused later, as not understood).
 */
export function buttonPrompt(action: ButtonAction, value: string): ButtonPrompt | undefined {
  const thing = value.split(':').slice(1).join(':');
  switch (action) {
    case 'gate.approve':
    case 'gate.reject':
    case 'gate.reason':
      return thing ? exactly(`gate:${thing}`) : undefined;
    case 'checklist.tick':
      return thing ? exactly(`checklist-item:${thing}`) : undefined;
    case 'task.tick': {
      const [window, index] = thing.split('.');
      return window && index ? exactly(`task:${window}:${index}`) : undefined;
    }
    // Which decision it answers is the core's to check (an older decision's button is told so).
    case 'decide':
      return thing.split(':')[0] ? kindOf('decision') : undefined;
    case 'rollback.approve':
      return kindOf('rollback');
    case 'rollback.request':
    case 'incident.ack':
    case 'incident.emergency':
      return undefined;
  }
}

/** How a message is named to a person, by its key: `gate security`, `the status message`. */
export function describeMessageKey(key: string): string {
  const [kind, a] = key.split(':');
  switch (kind) {
    case 'gate':
      return `gate ${a}`;
    case 'checklist-item':
      return `checklist item ${a}`;
    case 'task':
      return 'a monitoring task';
    case 'decision':
      return 'a decision';
    case 'rollback':
      return 'the rollback';
    case 'status':
      return 'the status message';
    case 'page':
      return 'a page';
    default:
      return 'another message';
  }
}

/**
 * What a button carries after its deployment's id when its whole value does not fit the platform's limit (Discord's
 * custom_id holds 100 characters; a long service name and a long gate or item id go past it): "the prompt of the
 * message it is on". Runbook ids never hold `@`, so no whole value is ever this.
 */
export const THING_OF_MESSAGE = '@';

/**
 * The whole value of a button that carries THING_OF_MESSAGE, from the key of the message it was pressed on (its
 * deployment's own, checked before): `gate:security` → `toy-3:security`; undefined for an action whose prompt a key
 * does not name.
 */
export function valueOfPrompt(action: ButtonAction, subject: string, key: string): string | undefined {
  const [kind, ...rest] = key.split(':');
  const thing = rest.join(':');
  if (!thing) return undefined;
  switch (action) {
    case 'gate.approve':
    case 'gate.reject':
    case 'gate.reason':
      return kind === 'gate' ? `${subject}:${thing}` : undefined;
    case 'checklist.tick':
      return kind === 'checklist-item' ? `${subject}:${thing}` : undefined;
    case 'task.tick': {
      const [window, index, more] = rest;
      return kind === 'task' && window && index && more === undefined
        ? `${subject}:${window}.${index}`
        : undefined;
    }
    default:
      return undefined;
  }
}
