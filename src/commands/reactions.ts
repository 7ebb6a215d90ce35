/** Emoji reactions and buttons on deployment messages: the same events as commands, from a click. */
import {
  applyEvent,
  applyIncidentEvent,
  type ButtonAction,
  type DeploymentEvent,
  EMOJI,
  type Platform,
  UserError,
} from '../core/index.ts';
import type { CommandServices, Reply } from './command.ts';
import { privately } from './command.ts';
import { identify } from './identify.ts';

export interface ReactionInput {
  readonly platform: Platform;
  readonly userId: string;
  readonly deploymentId: string;
  /** The message's topic key, e.g. `gate:security`. */
  readonly key: string;
  /** Canonical emoji name, e.g. `white_check_mark`. */
  readonly emoji: string;
  readonly added: boolean;
}

type EventFor = (person: string) => DeploymentEvent | undefined;

function eventForReaction(input: ReactionInput): EventFor | undefined {
  const [kind, id] = input.key.split(':');
  const approve = input.emoji === EMOJI.approve;
  if (kind === 'gate' && id) {
    if (approve)
      return (by) =>
        input.added ? { type: 'gate.approve', gate: id, by } : { type: 'gate.withdraw', gate: id, by };
    if (input.emoji === EMOJI.reject && input.added) return (by) => ({ type: 'gate.reject', gate: id, by });
  }
  const index = Number(input.key.split(':')[2]);
  if (kind === 'task' && id && approve && Number.isInteger(index)) {
    const window = Number(id);
    return (by) =>
      input.added ? { type: 'task.tick', window, index, by } : { type: 'task.untick', window, index, by };
  }
  if (kind === 'checklist-item' && id && approve) {
    return (by) =>
      input.added ? { type: 'checklist.tick', item: id, by } : { type: 'checklist.untick', item: id, by };
  }
  if ((kind === 'rollback' && approve && input.added) || (input.emoji === EMOJI.rollback && input.added)) {
    return (by) =>
      kind === 'rollback'
        ? { type: 'rollback.approve', by }
        : { type: 'rollback.request', by, reason: `${by} reacted 🔄` };
  }
  return undefined;
}

function eventForButton(action: ButtonAction, thing: string | undefined): EventFor | undefined {
  switch (action) {
    case 'gate.approve':
      return thing ? (by) => ({ type: 'gate.approve', gate: thing, by }) : undefined;
    case 'gate.reject':
      return thing ? (by) => ({ type: 'gate.reject', gate: thing, by }) : undefined;
    case 'checklist.tick':
      return thing ? (by) => ({ type: 'checklist.tick', item: thing, by }) : undefined;
    case 'rollback.approve':
      return (by) => ({ type: 'rollback.approve', by });
    case 'rollback.request':
      return (by) => ({ type: 'rollback.request', by, reason: `${by} pressed Roll back` });
    case 'decide':
      return thing ? (by) => ({ type: 'decide', choice: thing, by }) : undefined;
    case 'task.tick': {
      const [window, index] = (thing ?? '').split('.').map(Number);
      return window !== undefined &&
        index !== undefined &&
        Number.isInteger(window) &&
        Number.isInteger(index)
        ? (by) => ({ type: 'task.tick', window, index, by })
        : undefined;
    }
    case 'incident.ack':
    case 'incident.emergency':
      return undefined;
  }
}

async function apply(
  services: CommandServices,
  input: { platform: Platform; userId: string },
  deploymentId: string,
  make: EventFor,
): Promise<Reply | undefined> {
  const deployment = await services.engine.store.get(deploymentId);
  if (!deployment) throw new UserError('UNKNOWN_DEPLOYMENT', `deployment ${deploymentId} no longer exists`);
  const runbook = await services.engine.runbooks.pinned(deployment.runbookDigest);
  const person = identify(runbook, input);
  if (person instanceof UserError) throw person;
  const event = make(person);
  if (!event) return undefined;
  const outcome = await applyEvent(services.engine, deploymentId, event);
  if (!outcome.ok) throw outcome.error;
  return outcome.reply !== undefined ? privately(outcome.reply) : undefined;
}

/** Incident ids (`INC-3`) never look like deployment ids (`toy-3`). */
export const isIncidentId = (id: string): boolean => id.startsWith('INC-');

async function acknowledge(
  services: CommandServices,
  input: { platform: Platform; userId: string },
  incidentId: string,
): Promise<Reply> {
  const incident = await services.engine.incidents.get(incidentId);
  if (!incident) throw new UserError('NO_INCIDENT', `incident ${incidentId} no longer exists`);
  const runbook = await services.engine.runbooks.pinned(incident.runbookDigest);
  const person = identify(runbook, input);
  if (person instanceof UserError) throw person;
  const outcome = await applyIncidentEvent(services.engine, incidentId, { type: 'incident.ack', by: person });
  if (!outcome.ok) throw outcome.error;
  return privately(outcome.reply ?? `acknowledged ${incidentId}`);
}

async function emergency(
  services: CommandServices,
  input: { platform: Platform; userId: string },
  value: string,
): Promise<Reply> {
  const [incidentId = '', which] = value.split(':');
  const incident = await services.engine.incidents.get(incidentId);
  if (!incident || (which !== 'stop' && which !== 'logs'))
    throw new UserError('NO_INCIDENT', `incident ${incidentId} no longer exists`);
  const runbook = await services.engine.runbooks.pinned(incident.runbookDigest);
  const person = identify(runbook, input);
  if (person instanceof UserError) throw person;
  const outcome = await applyIncidentEvent(services.engine, incidentId, {
    type: 'incident.emergency-request',
    which,
    by: person,
  });
  if (!outcome.ok) throw outcome.error;
  return privately(outcome.reply ?? `emergency ${which} started`);
}

async function reactToIncident(services: CommandServices, input: ReactionInput): Promise<Reply | undefined> {
  if (!input.added) return undefined;
  if (input.emoji === EMOJI.ack || input.emoji === EMOJI.approve)
    return acknowledge(services, input, input.deploymentId);
  if (input.emoji !== EMOJI.rollback) return undefined;
  const incident = await services.engine.incidents.get(input.deploymentId);
  if (!incident?.deploymentId) {
    throw new UserError(
      'WRONG_STATE',
      `${input.deploymentId} is not about a deployment, so there is nothing to roll back`,
    );
  }
  return apply(services, input, incident.deploymentId, (by) => ({
    type: 'rollback.request',
    by,
    reason: `${by} reacted 🔄 on ${incident.id}`,
  }));
}

/** Applies a reaction. Reactions that mean nothing here are ignored; refusals throw a UserError to answer once. */
export async function handleReaction(
  services: CommandServices,
  input: ReactionInput,
): Promise<Reply | undefined> {
  if (isIncidentId(input.deploymentId)) return reactToIncident(services, input);
  const make = eventForReaction(input);
  return make ? apply(services, input, input.deploymentId, make) : undefined;
}

/** Applies a button press; the value is `<deployment>:<thing>`. */
export async function handleButton(
  services: CommandServices,
  input: { platform: Platform; userId: string; action: ButtonAction; value: string },
): Promise<Reply | undefined> {
  if (input.action === 'incident.ack') return acknowledge(services, input, input.value);
  if (input.action === 'incident.emergency') return emergency(services, input, input.value);
  const [deploymentId, thing] = input.value.split(':');
  const make = eventForButton(input.action, thing);
  if (!deploymentId || !make)
    throw new UserError(
      'BAD_COMMAND',
      'this button is not understood (it may be from an older version of Preflight)',
    );
  return apply(services, input, deploymentId, make);
}
