/**
 * The messages people answer with a reaction and that still wait for one: open gates and their reminders (✅ ❌), manual checklist
 * items (✅) and the ones ticked by ✅ while the checklist is open, a rollback waiting for approval (✅), the monitoring
 * tasks not yet done while the deployment is watched (✅), open incidents (👀 ✅ 🔄) and their pages sent as direct messages
 * (👀 ✅), with what the core already counts on them. A chat adapter that may have missed reactions (its connection
 * was down, or the process was) reads these messages' reactions back.
 */
import {
  type ChecklistRun,
  type DeploymentStore,
  EMOJI,
  type GateRun,
  gateReminderKey,
  heldBy,
  type IncidentStore,
  incidentPrompts,
  type MessageIndex,
  type MessageRef,
  type Platform,
  type RunbookCatalog,
  reactionsHolding,
  topicKey,
} from '../core/index.ts';

export interface OpenPrompt {
  readonly ref: MessageRef;
  /** The canonical emoji names that act on it (EMOJI). */
  readonly emoji: readonly string[];
  /** The platform users whose ✅ the core already counts here (by any path): nothing to record for them. */
  readonly counted?: readonly string[];
  /**
   * The counted ✅ that were given by a reaction on this message, with when: one that is gone from the message was
   * taken back, and `at` names that answer (a later ✅ and its removal are another).
   */
  readonly byReaction?: readonly { readonly userId: string; readonly at: number }[];
  /** When each platform user last withdrew here: a ✅ of theirs seen afterwards is a new answer. */
  readonly withdrawn?: Readonly<Record<string, number>>;
  /**
   * What it asks for, the same for every message that asks for it (a gate's own and its reminders): a person's ✅
   * found there holds the approval their ✅ found gone on another one gave (core: reaction-held.ts).
   */
  readonly asksFor?: string;
}

export interface OpenPromptDeps {
  readonly store: Pick<DeploymentStore, 'list'>;
  readonly incidents: Pick<IncidentStore, 'list'>;
  readonly index: Pick<MessageIndex, 'find'>;
  readonly runbooks: Pick<RunbookCatalog, 'pinned'>;
}

interface Wanted {
  readonly owner: string;
  readonly key: string;
  readonly emoji: readonly string[];
  readonly asksFor?: string;
  /** What the core counts on the prompt, once its message is known. */
  readonly answers?: (messageId: string) => Omit<OpenPrompt, 'ref' | 'emoji'>;
}

/** A gate's or a rollback's answers in platform user ids (people the runbook gives no id there are left out). */
function approvalAnswers(
  gate: Pick<GateRun, 'approvals' | 'withdrawn'>,
  messageId: string,
  userOf: (person: string) => string | undefined,
) {
  const byReaction: { userId: string; at: number }[] = [];
  const counted: string[] = [];
  for (const a of gate.approvals) {
    const userId = userOf(a.by);
    if (userId === undefined) continue;
    // An approval given by a ✅ elsewhere is held by their ✅ here too once the core hears of it: read as a ✅.
    if (a.onMessage === undefined || heldBy(a, messageId)) counted.push(userId);
    for (const held of reactionsHolding(a))
      if (held.onMessage === messageId) byReaction.push({ userId, at: held.at });
  }
  const withdrawn: Record<string, number> = {};
  for (const [person, at] of Object.entries(gate.withdrawn ?? {})) {
    const userId = userOf(person);
    if (userId !== undefined) withdrawn[userId] = at;
  }
  return { counted, byReaction, withdrawn };
}

/**
 * A manual item ticked by a ✅ while the checklist is still open (or a monitoring task while it is watched): its
 * ticker's ✅ taken off unticks it, however it was missed (anyone else's ✅ there is read as a tick, which finds the
 * item ticked already, as when made live).
 */
function tickAnswers(
  item: Pick<ChecklistRun, 'by' | 'at' | 'onMessage' | 'heldOn'>,
  messageId: string,
  userOf: (person: string) => string | undefined,
): Omit<OpenPrompt, 'ref' | 'emoji'> {
  const userId = item.by === undefined ? undefined : userOf(item.by);
  if (userId === undefined || item.at === undefined) return { counted: [] };
  const held = reactionsHolding(item).filter((h) => h.onMessage === messageId);
  return { counted: held.length > 0 ? [userId] : [], byReaction: held.map((h) => ({ userId, at: h.at })) };
}

/** The most reminders of one gate read back: the latest ones. */
const REMINDERS_READ = 10;
/** How far reminders are looked for when the gate does not count them (a deployment stored before it did). */
const REMINDERS_COUNTED = 2_000;
/** Reminders looked up at once, latest first. */
const LOOKUP_BATCH = 50;

/**
 * The keys of the reminders posted for the gate's current opening (they ask for the same gate: a ✅ there counts as
 * on the gate's message): the latest `REMINDERS_READ` of them, and any older one a counted approval was given on
 * (its ✅ taken off while the bot was down withdraws it, however many reminders came since). The gate counts its
 * reminders; one whose post never reached the channel (refused, or still waiting its turn) is passed over, and the
 * ones before it are still read.
 */
async function reminderKeys(deps: OpenPromptDeps, owner: string, gate: GateRun): Promise<string[]> {
  const keyOf = (count: number) => `note:${gateReminderKey(gate.id, gate.reopenedAt, count)}`;
  // The gate's own message is read anyway: only approvals given on a reminder are looked for.
  const own = (await deps.index.find(owner, topicKey({ kind: 'gate', gate: gate.id })))?.id;
  const approvedOn = new Set(
    gate.approvals.flatMap((a) =>
      reactionsHolding(a).flatMap((h) => (h.onMessage !== own ? [h.onMessage] : [])),
    ),
  );
  const keys: string[] = [];
  let latest = 0;
  /** Keeps a reminder found: one of the latest, or an older one an approval was given on. */
  const keep = (count: number, id: string | undefined) => {
    if (id === undefined) return;
    const approved = approvedOn.delete(id);
    if (latest < REMINDERS_READ || approved) keys.push(keyOf(count));
    latest += 1;
  };
  if (gate.reminders > 0) {
    for (
      let top = gate.reminders;
      top >= 1 && (latest < REMINDERS_READ || approvedOn.size > 0);
      top -= LOOKUP_BATCH
    ) {
      const counts = Array.from({ length: Math.min(LOOKUP_BATCH, top) }, (_, i) => top - i);
      const found = await Promise.all(counts.map((n) => deps.index.find(owner, keyOf(n))));
      for (const [i, n] of counts.entries()) keep(n, found[i]?.id);
    }
    return keys.reverse();
  }
  const refs: { count: number; id: string }[] = [];
  for (let count = 1; count <= REMINDERS_COUNTED; count++) {
    const ref = await deps.index.find(owner, keyOf(count));
    if (!ref) break;
    refs.push({ count, id: ref.id });
  }
  for (const { count, id } of refs.reverse()) keep(count, id);
  return keys.reverse();
}

/** The open prompts of deployments and incidents that began on `platform`. */
export async function openPrompts(deps: OpenPromptDeps, platform: Platform): Promise<OpenPrompt[]> {
  const wanted: Wanted[] = [];
  for (const d of await deps.store.list({ activeOnly: true, limit: 500 })) {
    if (d.origin !== platform) continue;
    const runbook = await deps.runbooks.pinned(d.runbookDigest);
    const { people } = runbook;
    const userOf = (person: string): string | undefined =>
      platform === 'slack' || platform === 'discord' ? people[person]?.[platform] : person;
    for (const gate of d.gates)
      if (gate.status === 'pending' && gate.requestedAt !== undefined)
        for (const key of [
          topicKey({ kind: 'gate', gate: gate.id }),
          ...(await reminderKeys(deps, d.id, gate)),
        ])
          wanted.push({
            owner: d.id,
            key,
            emoji: [EMOJI.approve, EMOJI.reject],
            asksFor: `${d.id}:gate:${gate.id}`,
            answers: (messageId) => approvalAnswers(gate, messageId, userOf),
          });
    for (const item of d.checklist) {
      const key = topicKey({ kind: 'checklist-item', item: item.id });
      if (item.status === 'pending') wanted.push({ owner: d.id, key, emoji: [EMOJI.approve] });
      else if (d.state === 'checklist' && item.onMessage !== undefined)
        wanted.push({
          owner: d.id,
          key,
          emoji: [EMOJI.approve],
          answers: (id) => tickAnswers(item, id, userOf),
        });
    }
    if (d.state === 'monitoring')
      for (const [window, period] of (runbook.monitoring ?? []).entries())
        for (const index of (period.tasks ?? []).keys()) {
          const key = topicKey({ kind: 'task', window, index });
          const done = d.tasksDone?.find((t) => t.window === window && t.index === index);
          if (!done) wanted.push({ owner: d.id, key, emoji: [EMOJI.approve] });
          else if (done.onMessage !== undefined)
            wanted.push({
              owner: d.id,
              key,
              emoji: [EMOJI.approve],
              answers: (id) => tickAnswers(done, id, userOf),
            });
        }
    const rollback = d.rollback;
    if (rollback && !rollback.started)
      wanted.push({
        owner: d.id,
        key: topicKey({ kind: 'rollback', at: rollback.at }),
        emoji: [EMOJI.approve],
        answers: (messageId) => approvalAnswers(rollback, messageId, userOf),
      });
  }
  for (const incident of await deps.incidents.list({ openOnly: true, limit: 500 })) {
    if (incident.origin !== platform) continue;
    for (const { key, emoji } of incidentPrompts(incident)) wanted.push({ owner: incident.id, key, emoji });
  }
  const prompts: OpenPrompt[] = [];
  for (const w of wanted) {
    const ref = await deps.index.find(w.owner, w.key);
    if (ref?.platform === platform)
      prompts.push({
        ref,
        emoji: w.emoji,
        ...w.answers?.(ref.id),
        ...(w.asksFor !== undefined && { asksFor: w.asksFor }),
      });
  }
  return prompts;
}
