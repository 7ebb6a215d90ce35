/**
 * The messages people answer with a reaction and that still wait for one: open gates (✅ ❌), manual checklist
 * items (✅), a rollback waiting for approval (✅), open incidents (👀 🔄). A chat adapter that may have missed
 * reactions (its connection was down, or the process was) reads these messages' reactions back.
 */
import {
  type DeploymentStore,
  EMOJI,
  type IncidentStore,
  incidentTopicKey,
  type MessageIndex,
  type MessageRef,
  type Platform,
  topicKey,
} from '../core/index.ts';

export interface OpenPrompt {
  readonly ref: MessageRef;
  /** The canonical emoji names that act on it (EMOJI). */
  readonly emoji: readonly string[];
}

export interface OpenPromptDeps {
  readonly store: Pick<DeploymentStore, 'list'>;
  readonly incidents: Pick<IncidentStore, 'list'>;
  readonly index: Pick<MessageIndex, 'find'>;
}

/** The open prompts of deployments and incidents that began on `platform`. */
export async function openPrompts(deps: OpenPromptDeps, platform: Platform): Promise<OpenPrompt[]> {
  const wanted: { owner: string; key: string; emoji: readonly string[] }[] = [];
  for (const d of await deps.store.list({ activeOnly: true, limit: 500 })) {
    if (d.origin !== platform) continue;
    for (const gate of d.gates)
      if (gate.status === 'pending' && gate.requestedAt !== undefined)
        wanted.push({
          owner: d.id,
          key: topicKey({ kind: 'gate', gate: gate.id }),
          emoji: [EMOJI.approve, EMOJI.reject],
        });
    for (const item of d.checklist)
      if (item.status === 'pending')
        wanted.push({
          owner: d.id,
          key: topicKey({ kind: 'checklist-item', item: item.id }),
          emoji: [EMOJI.approve],
        });
    if (d.rollback && !d.rollback.started)
      wanted.push({
        owner: d.id,
        key: topicKey({ kind: 'rollback', at: d.rollback.at }),
        emoji: [EMOJI.approve],
      });
  }
  for (const incident of await deps.incidents.list({ openOnly: true, limit: 500 }))
    if (incident.origin === platform)
      wanted.push({
        owner: incident.id,
        key: incidentTopicKey({ kind: 'incident' }),
        emoji: [EMOJI.ack, EMOJI.rollback],
      });
  const prompts: OpenPrompt[] = [];
  for (const w of wanted) {
    const ref = await deps.index.find(w.owner, w.key);
    if (ref?.platform === platform) prompts.push({ ref, emoji: w.emoji });
  }
  return prompts;
}
