/** Plain-text summaries of deployments, for /deploy status and /deploy history. */
import { formatDuration } from '../runbook/duration.ts';
import type { Runbook } from '../runbook/schema.ts';
import type { Deployment } from './deployment.ts';
import { gateDefinition } from './runbook-lookup.ts';
import { describeState } from './transition.ts';

const ago = (ms: number): string =>
  ms < 60_000 ? 'just now' : `${formatDuration(Math.floor(ms / 60_000) * 60_000)} ago`;

/** One line: `toy-3  v1.3.0 → production  rolled back  by alice, 5m ago`. */
export function summarizeLine(d: Deployment, now: number): string {
  return `${d.id}  ${d.service} ${d.version} → ${d.environment}  ${describeState(d.state)}${d.paused ? ' (paused)' : ''}  by ${d.requestedBy}, ${ago(now - d.requestedAt)}`;
}

/** Several lines: state, steps, gates, what it waits for. */
export function summarizeDeployment(d: Deployment, runbook: Runbook, now: number): string {
  const lines = [
    `${d.id}: ${d.service} ${d.version} → ${d.environment}, ${describeState(d.state)}${d.paused ? ' (paused)' : ''}`,
  ];
  lines.push(
    `requested by ${runbook.people[d.requestedBy]?.name ?? d.requestedBy} ${ago(now - d.requestedAt)}${d.previousVersion ? `; replaces ${d.previousVersion}` : ''}`,
  );
  const gates = d.gates.filter((g) => g.requestedAt !== undefined);
  if (gates.length > 0) {
    lines.push(
      `gates: ${gates.map((g) => `${g.id} ${g.status} (${g.approvals.length}/${gateDefinition(runbook, g.id)?.required ?? 1})`).join(', ')}`,
    );
  }
  lines.push(`steps: ${d.steps.map((s) => `${s.id} ${s.status}`).join(', ')}`);
  if (d.rollback) lines.push(`rollback: ${d.rollback.steps.map((s) => `${s.id} ${s.status}`).join(', ')}`);
  if (d.decision)
    lines.push(
      `waiting for a decision: ${d.decision.reason} (/deploy decide ${d.decision.options.join('|')} ${d.id})`,
    );
  if (d.outcome) lines.push(`outcome: ${d.outcome}`);
  return lines.join('\n');
}
