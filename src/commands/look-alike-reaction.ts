/**
 * A look-alike of ✅, ❌ or 👀 (✔️, 👍, 👎, 👁️ …) on a message that waits for an answer: it counts for nothing, and
 * the person whose answer is awaited is told which emoji counts, rather than left believing they signed off or
 * acknowledged. Anyone else's is only a reaction (a bystander's 👍 is conversation), and so is one on a gate that no
 * longer waits, or from an approver whose approval already counts.
 */
import {
  ackers,
  ackLookAlike,
  ackLookAlikeText,
  approveLookAlike,
  authorizeEvent,
  awaitsRollbackApproval,
  type Caller,
  checklistLookAlikeText,
  type Deployment,
  EMOJI,
  gateAskedBy,
  gateDefinition,
  gateLookAlike,
  gateLookAlikeText,
  identifyCaller,
  LookAlikeReaction,
  rollbackAskLookAlikeText,
  rollbackLookAlike,
  rollbackLookAlikeText,
  rollbackNoteText,
} from '../core/index.ts';
import type { CommandServices } from './command.ts';

/** What a look-alike check needs of a reaction (`LookAlikeInput`). */
export interface LookAlikeInput {
  readonly platform: Caller['platform'];
  readonly userId: string;
  /** The deployment's or incident's id. */
  readonly deploymentId: string;
  readonly key: string;
  readonly emoji: string;
  readonly added: boolean;
}

const caller = (input: LookAlikeInput): Pick<Caller, 'platform' | 'userId'> => ({
  platform: input.platform,
  userId: input.userId,
});

/** Throws a LookAlikeReaction for a look-alike on an open gate's message (or reminder) from one of its approvers. */
export async function lookAlikeOnGate(
  services: CommandServices,
  input: LookAlikeInput,
  current?: Deployment,
): Promise<undefined> {
  const asked = gateAskedBy(input.key);
  const look = gateLookAlike(input.emoji);
  if (!input.added || !asked || !look) return undefined;
  const deployment = current ?? (await services.engine.store.get(input.deploymentId));
  const gate = deployment?.gates.find((g) => g.id === asked.gate);
  if (!deployment || gate?.status !== 'pending') return undefined;
  const runbook = await services.engine.runbooks.pinned(deployment.runbookDigest);
  const by = identifyCaller(runbook, caller(input));
  if (typeof by !== 'string' || gate.approvals.some((a) => a.by === by)) return undefined;
  // Only someone whose ✅ (or ❌) would count: an approver of this gate, not the requester where that is refused.
  if (authorizeEvent(runbook, deployment, { type: `gate.${look.meant}`, gate: gate.id, by }) !== undefined)
    return undefined;
  const title = gateDefinition(runbook, gate.id)?.title ?? gate.id;
  throw new LookAlikeReaction(gateLookAlikeText(look.shown, look.meant, title, input.platform !== 'console'));
}

/** Throws a LookAlikeReaction for a look-alike on an unacknowledged incident's message or page from one who may ack. */
export async function lookAlikeOnIncident(
  services: CommandServices,
  input: LookAlikeInput,
): Promise<undefined> {
  const shown = ackLookAlike(input.emoji);
  const [kind] = input.key.split(':');
  if (!input.added || shown === undefined || (kind !== 'incident' && kind !== 'page' && kind !== 'dm'))
    return undefined;
  const incident = await services.engine.incidents.get(input.deploymentId);
  if (incident?.state !== 'open') return undefined;
  const runbook = await services.engine.runbooks.pinned(incident.runbookDigest);
  const by = identifyCaller(runbook, caller(input));
  if (typeof by !== 'string' || !ackers(runbook, incident).includes(by)) return undefined;
  throw new LookAlikeReaction(ackLookAlikeText(shown, incident.id, input.platform !== 'console'));
}

/**
 * Throws a LookAlikeReaction for a look-alike of 🔄 (🔁, 🔃) on the message of an incident about a deployment, from one
 * who may roll it back: they are told how to ask, rather than left waiting for a rollback nobody asked for.
 */
export async function lookAlikeOfRollbackAsk(
  services: CommandServices,
  input: LookAlikeInput,
): Promise<undefined> {
  const shown = rollbackLookAlike(input.emoji);
  if (!input.added || shown === undefined || input.key !== 'incident') return undefined;
  const incident = await services.engine.incidents.get(input.deploymentId);
  if (!incident || incident.state === 'resolved' || incident.deploymentId === undefined) return undefined;
  const deployment = await services.engine.store.get(incident.deploymentId);
  if (!deployment) return undefined;
  const runbook = await services.engine.runbooks.pinned(deployment.runbookDigest);
  const by = identifyCaller(runbook, caller(input));
  if (typeof by !== 'string') return undefined;
  if (authorizeEvent(runbook, deployment, { type: 'rollback.request', reason: '', by }) !== undefined)
    return undefined;
  throw new LookAlikeReaction(rollbackAskLookAlikeText(shown, deployment.id, input.platform !== 'console'));
}

/**
 * Throws a LookAlikeReaction for a look-alike of ✅ on the message of a rollback that waits for approvals, from one
 * whose ✅ would count there (an approver, not the asker where that is refused).
 */
export async function lookAlikeOnRollback(
  services: CommandServices,
  input: LookAlikeInput,
  current?: Deployment,
): Promise<undefined> {
  const shown = approveLookAlike(input.emoji);
  const [kind, at] = input.key.split(':');
  if (!input.added || shown === undefined || kind !== 'rollback') return undefined;
  const deployment = current ?? (await services.engine.store.get(input.deploymentId));
  const rollback = deployment?.rollback;
  // Only the rollback this message asks for, while it waits (an earlier rollback's message approves nothing anyway).
  const waits = deployment?.state === 'rolling_back' && rollback !== undefined && !rollback.started;
  if (!deployment || !rollback || !waits || (at !== undefined && at !== String(rollback.at)))
    return undefined;
  const runbook = await services.engine.runbooks.pinned(deployment.runbookDigest);
  const by = identifyCaller(runbook, caller(input));
  if (typeof by !== 'string' || rollback.approvals.some((a) => a.by === by)) return undefined;
  if (authorizeEvent(runbook, deployment, { type: 'rollback.approve', by }) !== undefined) return undefined;
  throw new LookAlikeReaction(rollbackLookAlikeText(shown, deployment.id, input.platform !== 'console'));
}

/** Throws a LookAlikeReaction for a look-alike of ✅ on a manual checklist item's message not yet done, from its owner. */
export async function lookAlikeOnChecklist(
  services: CommandServices,
  input: LookAlikeInput,
  current?: Deployment,
): Promise<undefined> {
  const shown = approveLookAlike(input.emoji);
  const [kind, item] = input.key.split(':');
  if (!input.added || shown === undefined || kind !== 'checklist-item' || !item) return undefined;
  const deployment = current ?? (await services.engine.store.get(input.deploymentId));
  const run = deployment?.checklist.find((c) => c.id === item);
  if (deployment?.state !== 'checklist' || !run || run.status === 'passed') return undefined;
  const runbook = await services.engine.runbooks.pinned(deployment.runbookDigest);
  const def = runbook.checklist?.find((i) => i.id === item);
  const by = identifyCaller(runbook, caller(input));
  // Only a manual item (one that runs a command is ticked by its result), and only from one of its owners.
  if (!def || def.run !== undefined || def.argv !== undefined || typeof by !== 'string') return undefined;
  if (authorizeEvent(runbook, deployment, { type: 'checklist.tick', item, by }) !== undefined)
    return undefined;
  throw new LookAlikeReaction(checklistLookAlikeText(shown, def.title, input.platform !== 'console'));
}

/** `note:rollback-asked:1764751234567` → the rollback that note says waits (its `at`). */
const ROLLBACK_ASKED_NOTE = /^note:rollback-asked:(\d+)$/;

/**
 * Throws a LookAlikeReaction for a ✅ on the incident's note that a rollback waits for approval, from one whose ✅
 * would approve it on the rollback's own message: the note names them and ✅, and it would otherwise be taken for an
 * acknowledgement of the incident while the rollback waits on, its approver believing they approved it.
 */
export async function approvalOnRollbackNote(
  services: CommandServices,
  input: LookAlikeInput,
): Promise<undefined> {
  const at = ROLLBACK_ASKED_NOTE.exec(input.key)?.[1];
  if (!input.added || input.emoji !== EMOJI.approve || at === undefined) return undefined;
  const incident = await services.engine.incidents.get(input.deploymentId);
  if (incident?.deploymentId === undefined) return undefined;
  const deployment = await services.engine.store.get(incident.deploymentId);
  const rollback = deployment?.rollback;
  if (!deployment || !rollback || !awaitsRollbackApproval(deployment) || String(rollback.at) !== at)
    return undefined;
  const runbook = await services.engine.runbooks.pinned(deployment.runbookDigest);
  const by = identifyCaller(runbook, caller(input));
  if (typeof by !== 'string' || rollback.approvals.some((a) => a.by === by)) return undefined;
  if (authorizeEvent(runbook, deployment, { type: 'rollback.approve', by }) !== undefined) return undefined;
  throw new LookAlikeReaction(rollbackNoteText(deployment.id, input.platform !== 'console'));
}
