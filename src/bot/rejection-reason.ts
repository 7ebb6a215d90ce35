/**
 * A gate's rejection reason typed as a reply in the deployment's thread, whichever of the reply and the ❌ it explains
 * is handled first (ReasonReplies). Only the rejecter's reply counts, and where the platform dates both (Slack), only
 * one written after their ❌: a reply written before it is conversation. The reason is applied through
 * applyPersonAction, as *Give the reason* is, so it is recorded once whichever side finds it.
 */
import type { CommandServices } from '../commands/command.ts';
import { REASON_MAX } from '../commands/reactions.ts';
import {
  applyPersonAction,
  clipText,
  type Deployment,
  type GateRun,
  identifyCaller,
  isFinal,
  type MessageIndex,
  maskLine,
  type Platform,
  type ReasonReplies,
  readsThreadReplies,
} from '../core/index.ts';

/** How long a reply waits for the ❌ it may explain, and a ❌ for a reply handled after it. */
export const KEEP_REPLIES_MS = 5 * 60_000;

export interface RejectionReasonDeps {
  readonly services: CommandServices;
  readonly index: Pick<MessageIndex, 'lookup'>;
  readonly replies?: ReasonReplies;
}

interface Person {
  readonly platform: Platform;
  readonly userId: string;
}

/** The gate `person` rejected and has not said why. */
function unexplained(d: Deployment | undefined, person: string): GateRun | undefined {
  return d?.gates.find(
    (g) => g.status === 'rejected' && g.rejection?.by === person && g.rejection.reason === undefined,
  );
}

const keyOf = (deploymentId: string, who: Person) => `${deploymentId}:${who.platform}:${who.userId}`;

/** The person of the runbook the deployment was started with, or undefined for someone it does not know. */
async function personOf(deps: RejectionReasonDeps, d: Deployment, who: Person): Promise<string | undefined> {
  const person = identifyCaller(await deps.services.engine.runbooks.pinned(d.runbookDigest), who);
  return typeof person === 'string' ? person : undefined;
}

/** Records `reason` as why `person` rejected their gate, if it still has none. */
async function giveReason(
  deps: RejectionReasonDeps,
  who: Person,
  d: Deployment | undefined,
  person: string,
  reason: string,
): Promise<void> {
  const gate = unexplained(d, person);
  if (!d || !gate) return;
  const caller = { platform: who.platform, userId: who.userId, via: 'thread-reply' as const };
  await applyPersonAction(deps.services.engine, caller, d.id, { type: 'gate.reason', gate: gate.id, reason });
}

/**
 * A person's reply in a thread: the reason for the gate they rejected without one. A reply dated by the platform is
 * kept a few minutes too, in case the ❌ it explains is handled after it; once the ❌'s time is known, only a reply
 * written after it is taken.
 */
export async function takeReplyAsReason(
  deps: RejectionReasonDeps,
  input: Person & {
    readonly channel: string;
    readonly threadId: string;
    readonly text: string;
    readonly at?: number;
  },
): Promise<void> {
  const thread = await deps.index.lookup(input.platform, input.channel, input.threadId);
  if (!thread) return;
  const { store, redactor } = deps.services.engine;
  const deployment = await store.get(thread.deploymentId);
  if (!deployment) return;
  const person = await personOf(deps, deployment, input);
  if (person === undefined) return;
  const text = clipText(maskLine(input.text, redactor), REASON_MAX);
  const open = unexplained(deployment, person) !== undefined;
  let reason = open ? text : undefined;
  // A deployment that has ended holds no gate a ❌ could still reject.
  if (deps.replies && input.at !== undefined && text !== '' && (open || !isFinal(deployment))) {
    const kept = await deps.replies.keep(
      keyOf(deployment.id, input),
      { at: input.at, text },
      KEEP_REPLIES_MS,
    );
    if (kept.rejectedAt !== undefined) reason = kept.reason;
  }
  if (reason === undefined) return;
  // The ❌ may have been applied since the deployment was read.
  await giveReason(deps, input, open ? deployment : await store.get(deployment.id), person, reason);
}

/**
 * After a ❌ made at `at` (the platform's time): when it left the person's gate rejected without a reason, the
 * first reply they wrote in the thread after it, kept because it was handled before the ❌, is the reason.
 */
export async function takeKeptReason(
  deps: RejectionReasonDeps,
  input: Person & { readonly deploymentId: string; readonly at: number },
): Promise<void> {
  if (!deps.replies || !readsThreadReplies(input.platform)) return;
  const deployment = await deps.services.engine.store.get(input.deploymentId);
  if (!deployment) return;
  const person = await personOf(deps, deployment, input);
  if (person === undefined || !unexplained(deployment, person)) return;
  const kept = await deps.replies.rejected(keyOf(deployment.id, input), input.at, KEEP_REPLIES_MS);
  if (kept.reason !== undefined) await giveReason(deps, input, deployment, person, kept.reason);
}
