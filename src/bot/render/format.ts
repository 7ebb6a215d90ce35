/** Small formatting helpers shared by the message renderers. */
import {
  type Deployment,
  type DeploymentState,
  formatZoned,
  type Runbook,
  type StepStatus,
} from '../../core/index.ts';

export interface RenderContext {
  readonly deployment: Deployment;
  readonly runbook: Runbook;
  readonly now: number;
}

export const STATE_ICON: Readonly<Record<DeploymentState, string>> = {
  checklist: '📋',
  awaiting_gates: '⏳',
  scheduled: '🕒',
  running: '🚀',
  verifying: '🩺',
  monitoring: '👀',
  succeeded: '✅',
  failed: '❌',
  needs_decision: '❓',
  aborted: '🛑',
  rolling_back: '↩️',
  rolled_back: '↩️',
  rollback_failed: '🔥',
};

/** One icon per step status, in step results, the rollback message and reports. */
export const STEP_ICON: Readonly<Record<StepStatus, string>> = {
  pending: '☐',
  waiting: '🕒',
  running: '⏳',
  succeeded: '✅',
  failed: '❌',
  timed_out: '⏱️',
  canceled: '🛑',
  skipped: '⏭️',
  interrupted: '⚠️',
};

/** `17:02:05 UTC` or `14:00 (06:00 UTC)` for runbooks in other zones. */
export function clock(at: number, zone: string): string {
  const local = formatZoned(at, zone, 'HH:mm:ss');
  const utc = new Date(at).toISOString().slice(11, 19);
  return zone === 'UTC' || zone === 'Etc/UTC' || local === utc ? `${utc} UTC` : `${local} (${utc} UTC)`;
}

/** `[██████░░░░] 3/5` */
export function progressBar(done: number, total: number, width = 16): string {
  const filled = total === 0 ? width : Math.round((done / total) * width);
  return `[${'█'.repeat(filled)}${'░'.repeat(width - filled)}] ${done}/${total}`;
}

/** `@{a}, @{b}` for person ids. */
export function mentions(people: readonly string[]): string {
  return people.map((p) => `@{${p}}`).join(' ');
}

/** The headline every deployment message can use: `toy v1.3.0 → production (toy-1)`. */
export function headline(d: Deployment): string {
  return `*${d.service} ${d.version} → ${d.environment}* (${d.id})`;
}

/** Command output for chat: short output inline, long output as a file with its last lines inline. */
export function outputBlock(
  tail: string | undefined,
  name: string,
): { text: string; attachment?: { name: string; content: string } } {
  const output = (tail ?? '').trimEnd();
  if (output === '') return { text: '' };
  const lines = output.split('\n');
  if (lines.length <= 15 && output.length <= 1_500) return { text: `\n\`\`\`\n${inFence(output)}\n\`\`\`` };
  const last = inFence(lines.slice(-5).join('\n'));
  return {
    text: `\n\`\`\`\n… ${lines.length - 5} more lines in ${name}\n${last}\n\`\`\``,
    attachment: { name, content: output },
  };
}

/**
 * Output shown inside a code block: a ``` it prints would end the block early and show the rest as markup, and an
 * `@{person}` it prints would become a mention of that person, so a zero-width space goes between its backticks and
 * after such an `@` (the attached file keeps the output as printed).
 */
function inFence(output: string): string {
  return output.replaceAll('```', '`\u200b`\u200b`').replaceAll('@{', '@\u200b{');
}
