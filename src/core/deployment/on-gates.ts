/** Gate events: ✅ approvals (M of N, named approvers, no self-approval), withdrawals, ❌ rejections, expiry. */

import { quoted } from '../chat/outside-text.ts';
import { gateReminderKey } from '../chat/topic-key.ts';
import { mention, mentionAll } from '../chat-text.ts';
import { countOf } from '../count-words.ts';
import { UserError } from '../errors.ts';
import { formatDuration } from '../runbook/duration.ts';
import type { Runbook } from '../runbook/schema.ts';
import { advance, setGateTimers } from './advance.ts';
import { type Change, refuse, type TransitionResult } from './change.ts';
import { type Deployment, type GateRun, gateOpenedAt } from './deployment.ts';
import type { DeploymentEvent } from './events.ts';
import { fail } from './finish.ts';
import { gateWaitingFor } from './gate-people.ts';
import { alsoHeldOn } from './reaction-held.ts';
import { approvedGateText, rejectedGateText, withdrawnText } from './reply-texts.ts';
import { gateDefinition, gatesFor } from './runbook-lookup.ts';

type GateEvent = Extract<DeploymentEvent, { type: `gate.${string}` }>;

function closedMessage(gate: GateRun, title: string): string {
  const how = gate.status === 'approved' ? 'approved' : gate.status === 'rejected' ? 'rejected' : 'expired';
  return `the ${title} gate is already ${how}; this no longer changes it`;
}

function authorizeIfComplete(c: Change): void {
  const gates = c.deployment.gates.filter((g) => g.requestedAt !== undefined);
  if (c.deployment.authorizedAt !== undefined || gates.some((g) => g.status !== 'approved')) return;
  c.set({ authorizedAt: c.now });
  c.record('deployment.authorized', 'preflight', {
    approvals: gates.flatMap((g) =>
      g.approvals.map((a) => ({ gate: g.id, by: a.by, at: new Date(a.at).toISOString() })),
    ),
  });
  c.post({ kind: 'authorization', at: c.now });
}

/**
 * A ✅ of an approver whose approval is counted already, on another of the gate's messages (a reminder, or the gate's
 * own after a reminder's ✅ gave it): it holds the approval too, so taking the other ✅ off leaves it standing.
 */
function countedAgain(
  c: Change,
  gate: GateRun,
  by: string,
  title: string,
  onMessage: string | undefined,
): void {
  const approvals = gate.approvals.map((a) => (a.by === by ? (alsoHeldOn(a, onMessage, c.now) ?? a) : a));
  if (approvals.some((a, i) => a !== gate.approvals[i])) c.updateGate(gate.id, { approvals });
  c.reply = `your approval of the ${title} gate is already counted`;
}

function approve(
  c: Change,
  gate: GateRun,
  by: string,
  title: string,
  onMessage: string | undefined,
): TransitionResult | undefined {
  // Who may approve (named approvers, not the requester) is decided before this, in authorizeEvent.
  const def = gateDefinition(c.runbook, gate.id);
  if (gate.approvals.some((a) => a.by === by)) {
    countedAgain(c, gate, by, title, onMessage);
    return undefined;
  }
  const approvals = [...gate.approvals, { by, at: c.now, ...(onMessage !== undefined && { onMessage }) }];
  const required = def?.required ?? 1;
  const passed = approvals.length >= required;
  c.updateGate(gate.id, { approvals, ...(passed && { status: 'approved' as const, closedAt: c.now }) });
  c.record(passed ? 'gate.approved' : 'gate.approval', by, {
    gate: gate.id,
    count: approvals.length,
    required,
  });
  c.refresh({ kind: 'gate', gate: gate.id });
  c.reply = approvedGateText(title, approvals.length, required);
  if (passed) authorizeIfComplete(c);
  advance(c);
  return undefined;
}

function reject(c: Change, gate: GateRun, by: string, reason: string | undefined, title: string): void {
  const rejection = { by, at: c.now, ...(reason !== undefined && { reason }) };
  c.updateGate(gate.id, { status: 'rejected', closedAt: c.now, rejection });
  c.record('gate.rejected', by, { gate: gate.id, ...(reason !== undefined && { reason }) });
  c.refresh({ kind: 'gate', gate: gate.id });
  // Drawn when it is sent: a reason given by then (a reply handled before the ❌) is said, not asked for.
  if (reason === undefined) c.post({ kind: 'rejection', gate: gate.id });
  fail(c, `the ${title} gate was rejected by ${c.runbook.people[by]?.name ?? by}`, by);
  c.reply = rejectedGateText(title, reason);
}

function remind(c: Change, gate: GateRun, count: number, title: string): void {
  const def = gateDefinition(c.runbook, gate.id);
  // Only the gate's approvers whose approval would count are named (as the gate's message names them): the
  // escalation ladder is for incidents, and someone who cannot approve the gate has nothing to do about it.
  const waiting = gateWaitingFor(c.runbook, c.deployment, gate);
  const waited = formatDuration(Math.round((c.now - (gateOpenedAt(gate) ?? c.now)) / 1000) * 1000);
  c.note(
    gateReminderKey(gate.id, gate.reopenedAt, count),
    waiting.length > 0
      ? `Reminder: the ${title} gate has waited ${waited} for ${mentionAll(waiting)}. React ✅ here or on the gate's message to approve.`
      : `Reminder: the ${title} gate has waited ${waited}, and no approver whose approval would count is left to ask (gates.${gate.id}.approvers): it cannot pass; \`/deploy abort ${c.deployment.id}\` ends the deployment.`,
  );
  c.record('gate.reminded', 'preflight', { gate: gate.id, count });
  // How many reminders this opening has had: the read-back at start finds the latest of them by their numbers.
  if (count > gate.reminders) c.updateGate(gate.id, { reminders: count });
  const since = gateOpenedAt(gate);
  if (def?.remind_every !== undefined) {
    c.emit({
      type: 'timer',
      timer: {
        kind: 'gate.remind',
        gate: gate.id,
        count: count + 1,
        ...(since !== undefined && { since }),
      },
      at: c.now + def.remind_every,
    });
  }
}

/**
 * The steps an approved gate lets through have not started yet (pending, or waiting for their time): an approver
 * may still take their ✅ back, or reject, and nothing has run on the strength of it.
 */
function stillAhead(c: Change, gateId: string): boolean {
  const d = c.deployment;
  if (!['awaiting_gates', 'scheduled', 'running'].includes(d.state)) return false;
  const gated = d.steps.filter((_, i) => gatesFor(c.runbook, d, i).includes(gateId));
  return gated.length > 0 && gated.every((s) => s.status === 'pending' || s.status === 'waiting');
}

/**
 * A withdrawal from an approved gate whose steps have not started: the gate opens again when it falls below the
 * approvals it needs, and a step waiting on it goes back to pending (its job finds another attempt and does
 * nothing), until the gate is approved again.
 */
function withdrawApproved(c: Change, gate: GateRun, by: string, title: string): void {
  const def = gateDefinition(c.runbook, gate.id);
  const required = def?.required ?? 1;
  const approvals = gate.approvals.filter((a) => a.by !== by);
  const withdrawn = { ...gate.withdrawn, [by]: c.now };
  c.record('gate.withdrawn', by, { gate: gate.id });
  if (approvals.length >= required) {
    c.updateGate(gate.id, { approvals, withdrawn });
  } else {
    const { closedAt: _closed, ...open } = gate;
    const d = c.deployment;
    // The record of the authorization that no longer holds is redrawn as withdrawn.
    if (d.authorizedAt !== undefined) c.refresh({ kind: 'authorization', at: d.authorizedAt });
    c.set({
      gates: d.gates.map((g) =>
        g.id === gate.id
          ? { ...open, approvals, withdrawn, status: 'pending' as const, reopenedAt: c.now, reminders: 0 }
          : g,
      ),
      steps: d.steps.map((s, i) => {
        if (s.status !== 'waiting' || !gatesFor(c.runbook, d, i).includes(gate.id)) return s;
        const { notBefore: _notBefore, ...held } = s;
        return { ...held, status: 'pending' as const, attempt: s.attempt - 1 };
      }),
    });
    c.unset('authorizedAt');
    c.record('gate.reopened', by, { gate: gate.id, count: approvals.length, required });
    // It waits for people again: its expiry and reminders start over, as when it was first requested.
    setGateTimers(c, gate.id);
  }
  c.refresh({ kind: 'gate', gate: gate.id });
  const reopened = approvals.length < required;
  const missing = required - approvals.length;
  const asked = gateWaitingFor(c.runbook, c.deployment, { ...gate, approvals }, by);
  const who = asked.length > 0 ? ` ${mentionAll(asked)}: react ✅ on the gate's message to approve.` : '';
  c.note(
    `withdraw:${gate.id}:${by}:${c.now}`,
    reopened
      ? `${mention(by)} withdrew their approval of the ${title} gate: it needs ${countOf(missing, 'more approval', 'more approvals')} again before its steps run.${who}`
      : `${mention(by)} withdrew their approval of the ${title} gate.`,
  );
  c.reply = withdrawnText(title, approvals.length, required);
  advance(c);
}

/**
 * What a gate event repeating its person's own act answers once the deployment has moved on (their ❌ stopped it,
 * or their ✅ let it finish); undefined for anything else.
 */
export function repeatedGateAct(runbook: Runbook, d: Deployment, event: DeploymentEvent): string | undefined {
  if (event.type !== 'gate.reject' && event.type !== 'gate.approve') return undefined;
  const gate = d.gates.find((g) => g.id === event.gate);
  if (!gate) return undefined;
  const title = gateDefinition(runbook, gate.id)?.title ?? gate.id;
  if (event.type === 'gate.reject' && gate.status === 'rejected' && gate.rejection?.by === event.by)
    return `you already rejected the ${title} gate: the deployment has stopped, and its thread says so`;
  if (event.type === 'gate.approve' && gate.approvals.some((a) => a.by === event.by))
    return `your approval of the ${title} gate is already counted`;
  return undefined;
}

/** The most of a gate name a refusal quotes back (a forged button can carry any text). */
const GATE_NAME_MAX = 64;

/** Applies a gate event. */
export function onGate(c: Change, event: GateEvent): TransitionResult | undefined {
  const gate = c.deployment.gates.find((g) => g.id === event.gate && g.requestedAt !== undefined);
  if (!gate) {
    const id = c.deployment.id;
    const named = quoted(event.gate.slice(0, GATE_NAME_MAX));
    return refuse(
      new UserError(
        'BAD_COMMAND',
        `${id} has no open gate ${named}; nothing was done. See \`/deploy status ${id}\` for the gates it waits on`,
      ),
    );
  }
  const title = gateDefinition(c.runbook, gate.id)?.title ?? gate.id;
  if (event.type === 'gate.reason') {
    if (gate.status !== 'rejected' || gate.rejection?.by !== event.by) return undefined;
    if (gate.rejection.reason !== undefined) {
      c.reply = `the reason for rejecting the ${title} gate is already recorded`;
      return undefined;
    }
    c.updateGate(gate.id, { rejection: { ...gate.rejection, reason: event.reason } });
    c.record('gate.rejection_reason', event.by, { gate: gate.id, reason: event.reason });
    c.refresh({ kind: 'gate', gate: gate.id });
    // The thread's request for it, posted already, says it instead.
    c.refresh({ kind: 'rejection', gate: gate.id });
    return undefined;
  }
  if (gate.status === 'approved' && stillAhead(c, gate.id)) {
    if (event.type === 'gate.withdraw') {
      if (gate.approvals.some((a) => a.by === event.by)) withdrawApproved(c, gate, event.by, title);
      return undefined;
    }
    // A ❌ from an approver before anything ran on the gate's strength rejects it, as it would have before.
    if (event.type === 'gate.reject') {
      reject(c, gate, event.by, event.reason, title);
      return undefined;
    }
  }
  if (event.type === 'gate.expire' || event.type === 'gate.remind') {
    // A timer set for an earlier opening of the gate (before a withdrawal reopened it) has nothing to do.
    const since = event.since ?? gate.requestedAt;
    if (gate.status !== 'pending' || since !== gateOpenedAt(gate)) return undefined;
  }
  if (gate.status !== 'pending') {
    if (event.type === 'gate.approve' && gate.approvals.some((a) => a.by === event.by)) {
      countedAgain(c, gate, event.by, title, event.onMessage);
      return undefined;
    }
    return refuse(new UserError('GATE_CLOSED', closedMessage(gate, title)));
  }
  switch (event.type) {
    case 'gate.approve':
      return approve(c, gate, event.by, title, event.onMessage);
    case 'gate.withdraw': {
      if (!gate.approvals.some((a) => a.by === event.by)) return undefined;
      c.updateGate(gate.id, {
        approvals: gate.approvals.filter((a) => a.by !== event.by),
        withdrawn: { ...gate.withdrawn, [event.by]: c.now },
      });
      c.record('gate.withdrawn', event.by, { gate: gate.id });
      c.refresh({ kind: 'gate', gate: gate.id });
      c.note(
        `withdraw:${gate.id}:${event.by}:${c.now}`,
        `${mention(event.by)} withdrew their approval of the ${title} gate.`,
      );
      return undefined;
    }
    case 'gate.reject':
      reject(c, gate, event.by, event.reason, title);
      return undefined;
    case 'gate.expire': {
      const def = gateDefinition(c.runbook, gate.id);
      c.updateGate(gate.id, { status: 'expired', closedAt: c.now });
      c.record('gate.expired', 'preflight', { gate: gate.id, approvals: gate.approvals.length });
      c.refresh({ kind: 'gate', gate: gate.id });
      const waited = formatDuration(def?.expires ?? 0);
      fail(
        c,
        `the ${title} gate expired after ${waited} with ${gate.approvals.length} of ${def?.required ?? 1} approvals`,
        'preflight',
      );
      return undefined;
    }
    case 'gate.remind':
      remind(c, gate, event.count, title);
      return undefined;
  }
}
