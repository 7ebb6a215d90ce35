/** Gate requests (one message per gate, mentioning its approvers) and the authorization record. */
import {
  type ChatMessage,
  describeState,
  gateDefinition,
  gateOpenedAt,
  isFinal,
  literal,
  readsThreadReplies,
  resolvePeople,
} from '../../core/index.ts';
import { clock, mentions, type RenderContext } from './format.ts';

/** The gate's message: who may approve, how, and what has happened so far. */
export function renderGate(ctx: RenderContext, gateId: string): ChatMessage {
  const { deployment: d, runbook } = ctx;
  const gate = d.gates.find((g) => g.id === gateId);
  const def = gateDefinition(runbook, gateId);
  if (!gate || !def) return { text: `Gate ${gateId} is not part of this deployment.` };
  const title = def.title ?? gateId;
  const required = def.required ?? 1;
  const approvers = resolvePeople(runbook, def.approvers);
  const approvals = gate.approvals.map((a) => `@{${a.by}} at ${clock(a.at, runbook.timezone)}`).join(', ');
  const zone = runbook.timezone;
  switch (gate.status) {
    case 'approved':
      return {
        text: `✅ *${title}* gate approved (${gate.approvals.length} of ${required}): ${approvals}`,
        tone: 'good',
      };
    case 'rejected': {
      const reason = gate.rejection?.reason;
      const text = `❌ *${title}* gate rejected by @{${gate.rejection?.by}}${reason ? `: ${literal(reason)}` : ''}`;
      if (reason) return { text, tone: 'bad' };
      // Until the reason is given: a button for it, where a platform cannot read thread replies (Discord).
      return {
        text,
        tone: 'bad',
        buttons: [{ action: 'gate.reason', label: 'Give the reason', value: `${d.id}:${gateId}` }],
      };
    }
    case 'expired':
      return {
        text: `⌛ *${title}* gate expired with ${gate.approvals.length} of ${required} approvals`,
        tone: 'bad',
      };
    case 'pending': {
      // The deployment ended (or is rolling back) while the gate waited: nobody is asked any longer.
      if (isFinal(d) || d.state === 'rolling_back')
        return {
          text: `⏹️ *${title}* gate: no longer needed, the deployment is ${describeState(d.state)} (${gate.approvals.length} of ${required} approvals)`,
        };
      // The requester is not pinged to approve what their approval cannot count for.
      const excluded = def.allow_self !== true && approvers.includes(d.requestedBy);
      const asked = excluded ? approvers.filter((p) => p !== d.requestedBy) : approvers;
      const requester = runbook.people[d.requestedBy]?.name ?? d.requestedBy;
      const self = excluded
        ? ` (${requester} requested this deployment, so their approval does not count)`
        : '';
      const lines = [
        `🔐 *${title}* gate: ${gate.approvals.length} of ${required} approvals${approvals ? ` (${approvals})` : ''}`,
        ...(def.description ? [def.description] : []),
        `${mentions(asked.length > 0 ? asked : approvers)}: react ✅ to approve or ❌ to reject${self}.`,
      ];
      // A gate reopened by a withdrawal has its full time again from then.
      const opened = gateOpenedAt(gate);
      if (def.expires !== undefined && opened !== undefined)
        lines.push(`Expires at ${clock(opened + def.expires, zone)}.`);
      return {
        text: lines.join('\n'),
        buttons: [
          { action: 'gate.approve', label: 'Approve', value: `${d.id}:${gateId}`, style: 'primary' },
          { action: 'gate.reject', label: 'Reject', value: `${d.id}:${gateId}`, style: 'danger' },
        ],
      };
    }
  }
}

/**
 * The thread's word on a gate rejected without a reason: it asks the rejecter for the reason (where the platform
 * reads thread replies, a reply does), and once the reason is given, says it.
 */
export function renderRejection(ctx: RenderContext, gateId: string): ChatMessage {
  const { deployment: d, runbook } = ctx;
  const rejection = d.gates.find((g) => g.id === gateId)?.rejection;
  const title = gateDefinition(runbook, gateId)?.title ?? gateId;
  const by = `@{${rejection?.by}}`;
  if (rejection?.reason !== undefined)
    return { text: `${by} rejected the ${title} gate and gave the reason: ${literal(rejection.reason)}` };
  const reply = readsThreadReplies(d.origin) ? 'reply in this thread, or ' : '';
  return {
    text: `${by} rejected the ${title} gate. Please give the reason: ${reply}press *Give the reason* on the gate's message.`,
  };
}

/**
 * The authorization record: every approval that let the deployment run. `at` names the authorization the message
 * records; once a withdrawal has reopened a gate, that one no longer holds and the message says so.
 */
export function renderAuthorization(ctx: RenderContext, recorded?: number): ChatMessage {
  const { deployment: d, runbook } = ctx;
  if (recorded !== undefined && d.authorizedAt !== recorded) {
    const at = recorded;
    const reopened = d.gates
      .filter((g) => g.reopenedAt !== undefined && g.reopenedAt >= at)
      .map(
        (g) =>
          `the ${gateDefinition(runbook, g.id)?.title ?? g.id} gate reopened at ${clock(g.reopenedAt ?? at, runbook.timezone)}`,
      );
    const why = reopened.length > 0 ? `: ${reopened.join(', ')}` : '';
    return {
      text: `🖋️ *Authorization of ${clock(at, runbook.timezone)} withdrawn*${why}. What the gates hold back waits for their approval again.`,
      tone: 'warning',
    };
  }
  const parts = d.gates
    .filter((g) => g.status === 'approved')
    .map(
      (g) =>
        `${gateDefinition(runbook, g.id)?.title ?? g.id}: ${g.approvals.map((a) => `${runbook.people[a.by]?.name ?? a.by} at ${clock(a.at, runbook.timezone)}`).join(', ')}`,
    );
  const at = d.authorizedAt !== undefined ? ` at ${clock(d.authorizedAt, runbook.timezone)}` : '';
  return {
    text: `🖋️ *Deployment authorized*${at}, recorded in the audit log.\n${parts.map((p) => `• ${p}`).join('\n')}`,
    tone: 'good',
  };
}
