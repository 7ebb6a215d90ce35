/** The checklist: a summary message, and one message per manual item for its owners to tick with ✅. */
import { type ChatMessage, describeState, isFinal, literal, resolvePeople } from '../../core/index.ts';
import { clock, mentions, type RenderContext } from './format.ts';

const ICON = { pending: '☐', running: '⏳', passed: '✅', failed: '❌' } as const;

/** The checklist summary, grouped by section. */
export function renderChecklist(ctx: RenderContext): ChatMessage {
  const { deployment: d, runbook } = ctx;
  const passed = d.checklist.filter((c) => c.status === 'passed').length;
  const lines = [`📋 *Checklist* ${passed}/${d.checklist.length}`];
  let section: string | undefined;
  for (const def of runbook.checklist ?? []) {
    const run = d.checklist.find((c) => c.id === def.id);
    if (!run) continue;
    if (def.section !== section) {
      section = def.section;
      if (section) lines.push(`*${section}*`);
    }
    const manual = def.run === undefined && def.argv === undefined;
    // The deployment ended while the item ran or waited: it never will finish, and nobody is asked any longer.
    if (isFinal(d) && (run.status === 'pending' || run.status === 'running')) {
      lines.push(`⏹️ ${def.title} — not finished`);
      continue;
    }
    const detail =
      run.status === 'passed' && run.by
        ? run.detail?.startsWith('waived')
          ? ` — ${run.detail}`
          : ` — ticked by @{${run.by}}`
        : run.detail
          ? ` — ${literal(run.detail)}`
          : manual && run.status === 'pending'
            ? ` — owner: ${(def.owner ?? []).join(', ')}`
            : '';
    lines.push(`${ICON[run.status]} ${def.title}${detail}`);
  }
  return {
    text: lines.join('\n'),
    tone: d.checklist.some((c) => c.status === 'failed')
      ? 'bad'
      : passed === d.checklist.length
        ? 'good'
        : 'neutral',
  };
}

/** A manual item's own message: its owners tick it with ✅ here. */
export function renderChecklistItem(ctx: RenderContext, itemId: string): ChatMessage {
  const { deployment: d, runbook } = ctx;
  const def = runbook.checklist?.find((i) => i.id === itemId);
  const run = d.checklist.find((c) => c.id === itemId);
  if (!def || !run) return { text: `Checklist item ${itemId} is not part of this deployment.` };
  if (run.status === 'passed') {
    const by = run.by ? ` by @{${run.by}}` : '';
    const at = run.at !== undefined ? ` at ${clock(run.at, runbook.timezone)}` : '';
    return { text: `✅ *${def.title}*: done${by}${at}`, tone: 'good' };
  }
  if (isFinal(d))
    return { text: `⏹️ *${def.title}*: no longer needed, the deployment is ${describeState(d.state)}` };
  const owners = resolvePeople(runbook, def.owner);
  const section = def.section ? ` (${def.section})` : '';
  return {
    text: `☐ *${def.title}*${section}\n${mentions(owners)}: react ✅ when this is done.`,
    buttons: [{ action: 'checklist.tick', label: 'Done', value: `${d.id}:${itemId}`, style: 'primary' }],
  };
}
