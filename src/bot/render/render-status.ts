/** The thread's parent message: a live status block, edited in place as the deployment moves. */

import type { ChatMessage } from '../../core/index.ts';
import {
  describeState,
  formatElapsed,
  type GateRun,
  gateDefinition,
  resolvePeople,
} from '../../core/index.ts';
import { clock, headline, mentions, progressBar, type RenderContext, STATE_ICON } from './format.ts';

function gateLine(ctx: RenderContext, gate: GateRun): string {
  const def = gateDefinition(ctx.runbook, gate.id);
  const who = gate.approvals.map((a) => ctx.runbook.people[a.by]?.name ?? a.by).join(', ');
  const count = `${gate.approvals.length}/${def?.required ?? 1}`;
  switch (gate.status) {
    case 'approved':
      return `✅ ${gate.id} (${who})`;
    case 'rejected':
      return `❌ ${gate.id} (rejected by ${ctx.runbook.people[gate.rejection?.by ?? '']?.name ?? gate.rejection?.by})`;
    case 'expired':
      return `⌛ ${gate.id} (expired ${count})`;
    case 'pending':
      return `⏳ ${gate.id} ${count}`;
  }
}

function currentLine(ctx: RenderContext): string | undefined {
  const { deployment: d, runbook, now } = ctx;
  const running = d.steps.findIndex((s) => s.status === 'running');
  const waiting = d.steps.findIndex((s) => s.status === 'waiting');
  const index = running >= 0 ? running : waiting;
  const step = d.steps[index];
  const def = runbook.steps[index];
  if (!step || !def) return undefined;
  const label = `${def.label ?? index + 1} ${def.title}`;
  if (step.status === 'running') {
    const late = (step.lateMs ?? 0) > 1000 ? ` (started ${formatElapsed(step.lateMs ?? 0)} late)` : '';
    // A time, not a duration: the message is edited when something changes, and "running for 3s" would stand
    // unchanged for the step's whole run.
    return `Now: step ${label}, running since ${clock(step.startedAt ?? now, runbook.timezone)}${late}`;
  }
  const at = step.notBefore ?? now;
  return at > now ? `Next: step ${label} at ${clock(at, runbook.timezone)}` : `Next: step ${label}, starting`;
}

/** The plan the elapsed time is measured against: `steps planned over 6s` or `steps planned 14:00–15:45`. */
function describePlan(runbook: RenderContext['runbook']): string {
  const times = runbook.steps.flatMap((s) => (s.at ? [s.at] : []));
  const last = times[times.length - 1];
  if (!last) return '';
  if (last.kind === 'offset') return last.ms > 0 ? ` (steps planned over ${formatElapsed(last.ms)})` : '';
  return ` (steps planned ${times[0]?.text ?? last.text}–${last.text} ${runbook.timezone})`;
}

/** Renders the status block. */
export function renderStatus(ctx: RenderContext): ChatMessage {
  const { deployment: d, runbook } = ctx;
  const done = d.steps.filter((s) => s.status === 'succeeded' || s.status === 'skipped').length;
  const lines = [
    `${STATE_ICON[d.state]} ${headline(d)}: ${describeState(d.state)}${d.paused ? ' (paused)' : ''}`,
  ];
  lines.push(`Requested by @{${d.requestedBy}} at ${clock(d.requestedAt, runbook.timezone)}`);
  const plan = d.runStart !== undefined ? describePlan(runbook) : '';
  // Finished, the time it took; under way, when it began (a duration would be stale between two edits).
  const elapsed =
    d.finishedAt !== undefined
      ? `took ${formatElapsed(d.finishedAt - d.requestedAt)}`
      : `under way since ${clock(d.runStart ?? d.requestedAt, runbook.timezone)}`;
  lines.push(`${progressBar(done, d.steps.length)} steps · ${elapsed}${plan}`);
  const checklist =
    d.checklist.length > 0
      ? `Checklist ${d.checklist.filter((c) => c.status === 'passed').length}/${d.checklist.length}`
      : '';
  const gates = d.gates.filter((g) => g.requestedAt !== undefined).map((g) => gateLine(ctx, g));
  const summary = [checklist, gates.length > 0 ? `Gates: ${gates.join(' · ')}` : '']
    .filter(Boolean)
    .join('  ·  ');
  if (summary) lines.push(summary);
  const current = currentLine(ctx);
  if (current && !['succeeded', 'failed', 'aborted', 'rolled_back'].includes(d.state)) lines.push(current);
  if (d.decision) lines.push(`Waiting for a decision: ${d.decision.reason}`);
  if (d.state === 'awaiting_gates') {
    const waitingFor = d.gates
      .filter((g) => g.status === 'pending' && g.requestedAt !== undefined)
      .flatMap((g) =>
        resolvePeople(runbook, gateDefinition(runbook, g.id)?.approvers).filter(
          (p) => p !== d.requestedBy && !g.approvals.some((a) => a.by === p),
        ),
      );
    if (waitingFor.length > 0) lines.push(`Waiting for approval from ${mentions([...new Set(waitingFor)])}`);
  }
  if (d.outcome) lines.push(`Outcome: ${d.outcome}`);
  const tone =
    d.state === 'succeeded' || d.state === 'monitoring'
      ? 'good'
      : ['failed', 'aborted', 'rollback_failed'].includes(d.state)
        ? 'bad'
        : d.state === 'needs_decision' || d.state.startsWith('roll')
          ? 'warning'
          : 'neutral';
  return { text: lines.join('\n'), tone };
}
