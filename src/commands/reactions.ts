/**
 * Emoji reactions and buttons on deployment and incident messages: the same actions as commands, from a click.
 * Only translation happens here; who may do it is decided by the core (`applyPersonAction`).
 */
import {
  applyPersonAction,
  applyPersonIncidentAction,
  type ButtonAction,
  type Caller,
  clipText,
  type Deployment,
  EMOJI,
  gateAskedBy,
  type PersonAction,
  type Platform,
  readsThreadReplies,
  requestRollbackForIncident,
  UserError,
  wouldRefuse,
} from '../core/index.ts';
import type { CommandServices, Reply } from './command.ts';
import { privately } from './command.ts';
import {
  approvalOnRollbackNote,
  lookAlikeOfRollbackAsk,
  lookAlikeOnChecklist,
  lookAlikeOnGate,
  lookAlikeOnIncident,
  lookAlikeOnRollback,
} from './look-alike-reaction.ts';
import { pointAtPrompts } from './point-at-prompts.ts';

export interface ReactionInput {
  readonly platform: Platform;
  readonly userId: string;
  readonly deploymentId: string;
  /** The message's topic key, e.g. `gate:security`. */
  readonly key: string;
  /** Canonical emoji name, e.g. `white_check_mark`. */
  readonly emoji: string;
  readonly added: boolean;
  /** The message reacted on. */
  readonly messageId?: string;
  /** The platform's id of this reaction event (`Caller.request`). */
  readonly request?: string;
}

export interface ButtonInput {
  readonly platform: Platform;
  readonly userId: string;
  readonly action: ButtonAction;
  /** `<deployment>:<thing>`, or an incident id. */
  readonly value: string;
  /** The platform's id of this press (`Caller.request`). */
  readonly request?: string;
  /** What the person wrote into the form the button opened, e.g. the reason for a rejection. */
  readonly text?: string;
  /** The topic key of the message pressed on, when it is one of the deployment's own (`rollback:<at>`). */
  readonly key?: string;
}

/** The caller of a reaction or a button press, with the id of the request when the platform gave one. */
const callerFrom = (input: ReactionInput | ButtonInput, via: 'reaction' | 'button'): Caller => ({
  platform: input.platform,
  userId: input.userId,
  via,
  ...(input.request !== undefined && { request: input.request }),
});

/** `rollback:1764751234567` → the rollback that message is about (its `at`). */
function promptOf(key: string | undefined): number | undefined {
  const [kind, at] = (key ?? '').split(':');
  return kind === 'rollback' && at !== undefined && /^\d+$/.test(at) ? Number(at) : undefined;
}

/** A ✅ or ❌ on a gate's message or on one of its reminders (which asks for the same gate). */
function gateAction(input: ReactionInput): PersonAction | undefined {
  const asked = gateAskedBy(input.key);
  if (!asked) return undefined;
  const { gate } = asked;
  const onMessage = input.messageId !== undefined ? { onMessage: input.messageId } : {};
  if (input.emoji === EMOJI.approve)
    return input.added
      ? { type: 'gate.approve', gate, ...onMessage }
      : { type: 'gate.withdraw', gate, onMessage: input.messageId ?? '' };
  if (input.emoji === EMOJI.reject && input.added) return { type: 'gate.reject', gate };
  return undefined;
}

function actionForReaction(input: ReactionInput): PersonAction | undefined {
  // A ✅ taken off takes back only what a ✅ on its message gave (core: reaction-gave.ts): off no known message, nothing.
  if (!input.added && input.messageId === undefined) return undefined;
  const [kind, id] = input.key.split(':');
  const approve = input.emoji === EMOJI.approve;
  const onGate = gateAction(input);
  if (onGate) return onGate;
  const index = Number(input.key.split(':')[2]);
  if (kind === 'task' && id && approve && Number.isInteger(index)) {
    const window = Number(id);
    return input.added
      ? {
          type: 'task.tick',
          window,
          index,
          ...(input.messageId !== undefined && { onMessage: input.messageId }),
        }
      : { type: 'task.untick', window, index, onMessage: input.messageId ?? '' };
  }
  if (kind === 'checklist-item' && id && approve)
    return input.added
      ? {
          type: 'checklist.tick',
          item: id,
          ...(input.messageId !== undefined && { onMessage: input.messageId }),
        }
      : { type: 'checklist.untick', item: id, onMessage: input.messageId ?? '' };
  if (kind === 'rollback' && approve) {
    const prompt = promptOf(input.key);
    return input.added
      ? {
          type: 'rollback.approve',
          ...(input.messageId !== undefined && { onMessage: input.messageId }),
          ...(prompt !== undefined && { prompt }),
        }
      : {
          type: 'rollback.withdraw',
          onMessage: input.messageId ?? '',
          ...(prompt !== undefined && { prompt }),
        };
  }
  if (input.emoji === EMOJI.rollback && input.added)
    return { type: 'rollback.request', reason: 'reacted 🔄' };
  return undefined;
}

/** The longest reason kept, as for a reason given by a thread reply. */
export const REASON_MAX = 500;

function actionForButton(
  action: ButtonAction,
  thing: string | undefined,
  text: string | undefined,
  key: string | undefined,
): PersonAction | undefined {
  const reason = text?.trim() ? clipText(text.trim(), REASON_MAX) : undefined;
  switch (action) {
    case 'gate.approve':
      return thing ? { type: 'gate.approve', gate: thing } : undefined;
    case 'gate.reject':
      return thing
        ? { type: 'gate.reject', gate: thing, ...(reason !== undefined && { reason }) }
        : undefined;
    case 'gate.reason':
      return thing && reason !== undefined ? { type: 'gate.reason', gate: thing, reason } : undefined;
    case 'checklist.tick':
      return thing ? { type: 'checklist.tick', item: thing } : undefined;
    case 'rollback.approve': {
      const prompt = promptOf(key);
      return { type: 'rollback.approve', ...(prompt !== undefined && { prompt }) };
    }
    case 'rollback.request':
      return { type: 'rollback.request', reason: 'pressed *Roll back*' };
    case 'decide': {
      // `retry:1764751234567`: the choice and the decision it answers (older buttons name only the choice).
      const [choice, asked] = (thing ?? '').split(':');
      return choice
        ? { type: 'decide', choice, ...(asked && /^\d+$/.test(asked) && { asked: Number(asked) }) }
        : undefined;
    }
    case 'task.tick': {
      const [window, index] = (thing ?? '').split('.').map(Number);
      return window !== undefined &&
        index !== undefined &&
        Number.isInteger(window) &&
        Number.isInteger(index)
        ? { type: 'task.tick', window, index }
        : undefined;
    }
    case 'incident.ack':
    case 'incident.emergency':
      return undefined;
  }
}

async function apply(
  services: CommandServices,
  caller: Caller,
  deploymentId: string,
  action: PersonAction,
  current?: Deployment,
): Promise<Reply | undefined> {
  const outcome = await applyPersonAction(services.engine, caller, deploymentId, action, current);
  if (!outcome.ok) throw outcome.error;
  return outcome.reply !== undefined ? privately(outcome.reply) : undefined;
}

/** Incident ids (`INC-3`) never look like deployment ids (`toy-3`). */
export const isIncidentId = (id: string): boolean => id.startsWith('INC-');

async function acknowledge(services: CommandServices, caller: Caller, incidentId: string): Promise<Reply> {
  const outcome = await applyPersonIncidentAction(services.engine, caller, incidentId, {
    type: 'incident.ack',
  });
  if (!outcome.ok) throw outcome.error;
  return privately(outcome.reply ?? `acknowledged ${incidentId}`);
}

async function emergency(services: CommandServices, caller: Caller, value: string): Promise<Reply> {
  const [incidentId = '', which] = value.split(':');
  if (which !== 'stop' && which !== 'logs')
    throw new UserError(
      'BAD_COMMAND',
      `this button does not name an emergency command; use /incident emergency stop|logs ${incidentId}`,
    );
  const outcome = await applyPersonIncidentAction(services.engine, caller, incidentId, {
    type: 'incident.emergency-request',
    which,
  });
  if (!outcome.ok) throw outcome.error;
  return privately(outcome.reply ?? `emergency ${which} started`);
}

async function reactToIncident(services: CommandServices, input: ReactionInput): Promise<Reply | undefined> {
  if (!input.added) return undefined;
  const caller = callerFrom(input, 'reaction');
  if (input.emoji === EMOJI.ack || input.emoji === EMOJI.approve) {
    // A ✅ on the note that a rollback waits for its approver is that approver's, meant for the rollback.
    await approvalOnRollbackNote(services, input);
    return acknowledge(services, caller, input.deploymentId);
  }
  if (input.emoji !== EMOJI.rollback)
    return (await lookAlikeOfRollbackAsk(services, input)) ?? lookAlikeOnIncident(services, input);
  // Who reacted is judged before what the incident is about (core: requestRollbackForIncident).
  const outcome = await requestRollbackForIncident(
    services.engine,
    caller,
    input.deploymentId,
    `reacted 🔄 on ${input.deploymentId}`,
  );
  if (!outcome.ok) throw outcome.error;
  return outcome.reply !== undefined ? privately(outcome.reply) : undefined;
}

/**
 * Applies a reaction. Reactions that mean nothing here are ignored; refusals throw a UserError to answer once.
 * `current` is the deployment as the caller just read it, if it did (`applyPersonAction`).
 */
export async function handleReaction(
  services: CommandServices,
  input: ReactionInput,
  current?: Deployment,
): Promise<Reply | undefined> {
  if (isIncidentId(input.deploymentId)) return reactToIncident(services, input);
  const action = actionForReaction(input);
  if (!action)
    return (
      (await pointAtPrompts(services, input, current)) ??
      (await lookAlikeOnGate(services, input, current)) ??
      (await lookAlikeOnRollback(services, input, current)) ??
      lookAlikeOnChecklist(services, input, current)
    );
  return apply(services, callerFrom(input, 'reaction'), input.deploymentId, action, current);
}

/** Applies a button press; the value is `<deployment>:<thing>`. */
export async function handleButton(
  services: CommandServices,
  input: ButtonInput,
): Promise<Reply | undefined> {
  const caller = callerFrom(input, 'button');
  if (input.action === 'incident.ack') return acknowledge(services, caller, input.value);
  if (input.action === 'incident.emergency') return emergency(services, caller, input.value);
  const [deploymentId, ...rest] = input.value.split(':');
  const thing = rest.length > 0 ? rest.join(':') : undefined;
  // Where the platform opens no form for it (Slack), the reason is given as a reply in the thread; where it reads no
  // replies (Discord), the form came back blank.
  // One who may not give it (not the rejecter, or the reason is in) is refused first, as for any press.
  if (input.action === 'gate.reason' && !input.text?.trim() && deploymentId && thing) {
    const asked = { type: 'gate.reason', gate: thing, reason: 'a reason' } as const;
    if (await wouldRefuse(services.engine, caller, deploymentId, asked))
      return apply(services, caller, deploymentId, asked);
  }
  if (input.action === 'gate.reason' && !input.text?.trim())
    return privately(
      readsThreadReplies(input.platform)
        ? 'Reply in this thread with the reason; the reply of whoever rejected the gate is recorded.'
        : 'The reason was empty, so nothing was recorded: press *Give the reason* again and write why the gate was rejected.',
    );
  const action = actionForButton(input.action, thing, input.text, input.key);
  if (!deploymentId || !action)
    throw new UserError(
      'BAD_COMMAND',
      `this button is not understood (it may be from an older version of Preflight); nothing was done. See \`/deploy status ${deploymentId}\`, and use the buttons on its current message or the command`,
    );
  return apply(services, caller, deploymentId, action);
}

/**
 * Whether a press on a button that opens a form before it counts (Reject, Give the reason) would be refused now:
 * the person is then answered at once, through `handleButton`, instead of writing a reason for nothing.
 */
export async function buttonWouldBeRefused(services: CommandServices, input: ButtonInput): Promise<boolean> {
  const [deploymentId, ...rest] = input.value.split(':');
  const action = actionForButton(input.action, rest.join(':') || undefined, 'a reason', input.key);
  if (!deploymentId || !action) return true;
  return (
    (await wouldRefuse(services.engine, callerFrom(input, 'button'), deploymentId, action)) !== undefined
  );
}
