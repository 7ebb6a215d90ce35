/**
 * An approval or a tick given by a ✅ is held by every ✅ of its person that counted for it: the one that gave it, and
 * one on another message asking for the same (a gate's reminder), answered "already counted". Taking one of them off
 * leaves it standing, and the person is told why; the last one taken off withdraws it, in either order.
 */
import { describe, expect, it } from 'vitest';
import { repeatedReply } from '../../../src/core/deployment/repeated-reply.ts';
import type { DeploymentEvent } from '../../../src/core/index.ts';
import { Driver, testRunbook } from '../../helpers/deployment-fixture.ts';

const runbook = testRunbook();

/** Shop-1 with its checklist done and its gates asked for. */
const awaitingGates = () => {
  const d = new Driver(runbook).apply({ type: 'checklist.result', item: 'auto', passed: true, detail: '' });
  d.apply({ type: 'checklist.tick', item: 'tick-me', by: 'ben', onMessage: 'item:tick-me' });
  expect(d.deployment.state).toBe('awaiting_gates');
  return d;
};
const approvers = (d: Driver, gate: string) =>
  d.deployment.gates.find((g) => g.id === gate)?.approvals.map((a) => a.by);
const approve = (by: string, onMessage: string): DeploymentEvent => ({
  type: 'gate.approve',
  gate: 'operations',
  by,
  onMessage,
});
const withdraw = (by: string, onMessage: string): DeploymentEvent => ({
  type: 'gate.withdraw',
  gate: 'operations',
  by,
  onMessage,
});
const STANDS =
  "your approval of the operations gate stands: your ✅ on another of the gate's messages (its own or a reminder) still gives it. To withdraw it, take that ✅ off too.";

describe('a ✅ on a gate’s message and one on its reminder, by the same approver', () => {
  it('✅ on the gate, then on a reminder: taking the gate’s off leaves the approval; the reminder’s withdraws it', () => {
    const d = awaitingGates();
    d.apply(approve('ben', 'gate-message'));
    d.apply(approve('ben', 'reminder-1'));
    expect(d.reply).toBe('your approval of the operations gate is already counted');
    expect(d.audit.filter((t) => t.startsWith('gate.a'))).toEqual(['gate.approval']);

    d.apply(withdraw('ben', 'gate-message'));
    expect(approvers(d, 'operations')).toEqual(['ben']);
    expect(d.reply).toBe(STANDS);
    expect(d.audit).not.toContain('gate.withdrawn');
    // Taken off again (the event heard twice): nothing more.
    const before = d.deployment;
    d.apply(withdraw('ben', 'gate-message'));
    expect(d.deployment).toBe(before);

    d.apply(withdraw('ben', 'reminder-1'));
    expect(approvers(d, 'operations')).toEqual([]);
    expect(d.audit.at(-1)).toBe('gate.withdrawn');
  });

  it('✅ on a reminder, then on the gate: either taken off first, the last one withdraws it', () => {
    for (const first of ['reminder-1', 'gate-message']) {
      const d = awaitingGates();
      d.apply(approve('ben', 'reminder-1'));
      d.apply(approve('ben', 'gate-message'));
      d.apply(withdraw('ben', first));
      expect(approvers(d, 'operations'), first).toEqual(['ben']);
      expect(d.reply).toBe(STANDS);
      d.apply(withdraw('ben', first === 'reminder-1' ? 'gate-message' : 'reminder-1'));
      expect(approvers(d, 'operations'), first).toEqual([]);
    }
  });

  it('reopens an approved gate only when the last ✅ that held the approval comes off', () => {
    const d = awaitingGates();
    d.apply({ type: 'gate.approve', gate: 'security', by: 'dan', onMessage: 'gate:security' });
    d.apply(approve('ben', 'gate-message'));
    d.apply(approve('cat', 'gate-message'));
    expect(d.deployment.state).toBe('scheduled');
    // Cat's ✅ on a reminder, after the gate passed and before its step started, holds his approval too.
    d.apply(approve('cat', 'reminder-2'));
    d.apply(withdraw('cat', 'gate-message'));
    expect([d.deployment.state, d.deployment.gates[1]?.status]).toEqual(['scheduled', 'approved']);
    d.apply(withdraw('cat', 'reminder-2'));
    expect([d.deployment.state, d.deployment.gates[1]?.status]).toEqual(['awaiting_gates', 'pending']);
    expect(approvers(d, 'operations')).toEqual(['ben']);
  });

  it('answers the reminder’s ✅ handled again (its first handling committed) as it did: already counted', () => {
    const d = awaitingGates();
    d.apply(approve('ben', 'gate-message'));
    d.apply(approve('ben', 'reminder-1'));
    expect(repeatedReply(runbook, d.deployment, approve('ben', 'reminder-1'))).toBe(d.reply);
  });

  it('holds one given by the Approve button by no ✅: taking a ✅ off says it stands, as before', () => {
    const d = awaitingGates();
    d.apply({ type: 'gate.approve', gate: 'operations', by: 'ben' });
    const before = d.deployment;
    d.apply(approve('ben', 'reminder-1'));
    expect(d.deployment).toBe(before);
    expect(d.refused(withdraw('ben', 'reminder-1')).message).toMatch(
      /^your approval of the operations gate was given with a button or a command, not by this ✅/,
    );
  });
});

describe('a checklist item’s ✅ on its message and on the message posted again', () => {
  it('unticks the item only when the ticker’s last ✅ comes off', () => {
    const d = new Driver(runbook);
    d.apply({ type: 'checklist.tick', item: 'tick-me', by: 'ben', onMessage: 'item-1' });
    d.apply({ type: 'checklist.tick', item: 'tick-me', by: 'ben', onMessage: 'item-2' });
    expect(d.reply).toBe('"Backup taken" is already ticked');
    d.apply({ type: 'checklist.untick', item: 'tick-me', by: 'ben', onMessage: 'item-1' });
    expect(d.deployment.checklist[0]).toMatchObject({ status: 'passed', by: 'ben' });
    expect(d.reply).toBe(
      'your tick of "Backup taken" stands: your ✅ on another message of the item still gives it. To untick it, take that ✅ off too.',
    );
    d.apply({ type: 'checklist.untick', item: 'tick-me', by: 'ben', onMessage: 'item-2' });
    expect(d.deployment.checklist[0]?.status).toBe('pending');
    expect(d.deployment.checklist[0]).not.toHaveProperty('heldOn');
    // Another owner's ✅ on the item ticked by Ben holds nothing of theirs.
    d.apply({ type: 'checklist.tick', item: 'tick-me', by: 'ben', onMessage: 'item-2' });
    d.apply({ type: 'checklist.tick', item: 'tick-me', by: 'cat', onMessage: 'item-1' });
    d.apply({ type: 'checklist.untick', item: 'tick-me', by: 'ben', onMessage: 'item-2' });
    expect(d.deployment.checklist[0]?.status).toBe('pending');
  });
});
