/**
 * The input paths of the access table: each is a platform and a way in (typed command, reaction, button, thread
 * reply), driven through the real dispatcher. A new platform (Discord) adds its columns here and its user ids to
 * ACCESS_PEOPLE; the table's rows need nothing else.
 */
import type { ButtonAction, Platform } from '../../src/core/index.ts';
import type { Harness } from './engine-harness.ts';

export type Mode = 'command' | 'reaction' | 'button' | 'thread-reply';

export interface AccessPath {
  readonly name: string;
  readonly platform: Platform;
  readonly mode: Mode;
}

/** Every column of the table. */
export const ACCESS_PATHS: readonly AccessPath[] = [
  { name: 'slack command', platform: 'slack', mode: 'command' },
  { name: 'slack reaction', platform: 'slack', mode: 'reaction' },
  { name: 'slack button', platform: 'slack', mode: 'button' },
  { name: 'slack thread reply', platform: 'slack', mode: 'thread-reply' },
  { name: 'terminal command', platform: 'console', mode: 'command' },
  { name: 'terminal reaction', platform: 'console', mode: 'reaction' },
  { name: 'terminal click', platform: 'console', mode: 'button' },
  { name: 'discord command', platform: 'discord', mode: 'command' },
  { name: 'discord reaction', platform: 'discord', mode: 'reaction' },
  { name: 'discord button', platform: 'discord', mode: 'button' },
];

/** The people of ACCESS_RUNBOOK by platform user id; `nobody` is unknown to the runbook. */
export const ACCESS_PEOPLE: Readonly<Record<string, Readonly<Partial<Record<Platform, string>>>>> = {
  ann: { slack: 'U0ANN0001', console: 'ann', discord: '300000000000000001' },
  ben: { slack: 'U0BEN0001', console: 'ben', discord: '300000000000000002' },
  cat: { slack: 'U0CAT0001', console: 'cat', discord: '300000000000000003' },
  dan: { slack: 'U0DAN0001', console: 'dan', discord: '300000000000000004' },
  nobody: { slack: 'U0NOBODY1', console: 'nobody', discord: '300000000000000009' },
};

/**
 * Ann deploys and asks; Ben owns the checklist item and approves; Cat is on call (rollback, L1); Dan is only a
 * person of the runbook, with no permission at all.
 */
export const ACCESS_RUNBOOK = `version: 1
service: svc
timezone: UTC
environments: { production: { default: true } }
channels: { deploy: "#deploy", incident: "#incident" }
people:
  ann: { name: Ann, slack: U0ANN0001, discord: "300000000000000001" }
  ben: { name: Ben, slack: U0BEN0001, discord: "300000000000000002" }
  cat: { name: Cat, slack: U0CAT0001, discord: "300000000000000003" }
  dan: { name: Dan, slack: U0DAN0001, discord: "300000000000000004" }
groups: { ops: [ann, ben, cat], oncall: [ann, cat] }
permissions: { deploy: [ops], rollback: [oncall], abort: [ops], pause: [ops], decide: [ops], lock: [ops], incident: [ops] }
gates: { go: { approvers: [ops], required: 1 } }
checklist:
  - { id: notes, title: Notes reviewed, owner: [ben] }
steps:
  - { id: one, title: One, needs: [go], run: 'true', on_failure: ask }
rollback:
  approval: { approvers: [oncall], required: 1 }
  steps:
    - { id: undo, title: Undo, run: 'true' }
escalation:
  levels:
    - { id: L1, notify: [cat], respond_within: 15m }
    - { id: L2, notify: [ben], respond_within: 15m }
`;

/** How an action is expressed on each way in; a missing form means the path does not offer the action. */
export interface ActionForms {
  readonly command?: string;
  /** The message (its topic key) and the emoji; `added: false` takes the reaction off. */
  readonly reaction?: { readonly key: string; readonly emoji: string; readonly added?: false };
  readonly button?: { readonly action: ButtonAction; readonly value: string };
  readonly threadReply?: string;
}

/** What a path answered: a reply text (private or public), or nothing. */
export interface PathAnswer {
  readonly text?: string;
}

const CHANNEL = { slack: 'C0DEPLOY1', console: '#deploy', discord: '100000000000000001' } as const;
let messages = 0;
const placed = new Map<string, string>();

/**
 * The id of `subject`'s message `key` on `platform`, as if it was posted once: the same each time it is asked (a
 * ✅ put on and taken off a gate's message names the same message).
 */
export function messageIdOf(platform: AccessPath['platform'], subject: string, key: string): string {
  const where = `${platform}|${subject}|${key}`;
  const known = placed.get(where);
  if (known !== undefined) return known;
  const id = { console: 'm', slack: '1700000000.', discord: '13000000000000' }[platform] + String(++messages);
  placed.set(where, id);
  return id;
}

/** Sends the action down one path as `person`, the way that path's adapter would. */
export async function sendDownPath(
  h: Harness,
  path: AccessPath,
  person: string,
  subject: string,
  forms: ActionForms,
): Promise<PathAnswer> {
  const { dispatcher, index } = h.preflight.chat;
  const userId = ACCESS_PEOPLE[person]?.[path.platform] ?? person;
  const channel = CHANNEL[path.platform];
  const from = { platform: path.platform, userId, channel };
  // Where the thread's and the reacted message's ids come from: the message index, as after a real post.
  const place = async (key: string) => {
    // `rollback`: the prompt of the rollback waiting now, as its message is keyed when posted (rollback:<at>).
    const rollback = key === 'rollback' ? (await h.preflight.engine.store.get(subject))?.rollback : undefined;
    const indexed = rollback ? `rollback:${rollback.at}` : key;
    const id = messageIdOf(path.platform, subject, indexed);
    await index.save(subject, indexed, {
      platform: path.platform,
      channel,
      id,
    });
    return id;
  };
  switch (path.mode) {
    case 'command': {
      const reply = await dispatcher.command({ ...from, text: forms.command ?? '' });
      return reply ? { text: reply.text } : {};
    }
    case 'reaction': {
      const { key, emoji, added = true } = forms.reaction ?? { key: '', emoji: '' };
      const messageId = await place(key);
      const { refusal } = await dispatcher.reaction({ ...from, messageId, emoji, added });
      return refusal ? { text: refusal.text } : {};
    }
    case 'button': {
      const { action, value } = forms.button ?? { action: 'decide', value: '' };
      // Pressed on the message that carries the button, as every adapter says.
      const messageId = await place(buttonMessageKey(action, value));
      const reply = await dispatcher.button({ ...from, action, value, messageId });
      return reply ? { text: reply.text } : {};
    }
    case 'thread-reply': {
      const threadId = await place('status');
      await dispatcher.threadMessage({ ...from, threadId, text: forms.threadReply ?? '' });
      return {};
    }
  }
}

/** The key of the message a button is on: its prompt's, or the status message for Roll back. */
function buttonMessageKey(action: ButtonAction, value: string): string {
  const thing = value.split(':')[1] ?? '';
  if (action.startsWith('gate.')) return `gate:${thing}`;
  if (action === 'checklist.tick') return `checklist-item:${thing}`;
  if (action === 'rollback.approve') return 'rollback';
  if (action === 'decide') return 'decision:1';
  return action.startsWith('incident.') ? 'incident' : 'status';
}

/** True when the action has a form for the path's way in. */
export function offers(forms: ActionForms, mode: Mode): boolean {
  switch (mode) {
    case 'command':
      return forms.command !== undefined;
    case 'reaction':
      return forms.reaction !== undefined;
    case 'button':
      return forms.button !== undefined;
    case 'thread-reply':
      return forms.threadReply !== undefined;
  }
}
