/**
 * Reject pressed twice by the same approver (a double click, or a second press before the gate message lost its
 * buttons): the first rejection stops the deployment; the second press is told it was theirs, not refused as if
 * it had asked something of a finished deployment.
 */
import { describe, expect, it } from 'vitest';
import { ANN, BEN, oneGateRunbook } from '../helpers/one-gate-runbook.ts';
import { useSlackSuite } from '../helpers/slack-suite.ts';

const suite = useSlackSuite(oneGateRunbook('twice'));

describe('Reject pressed again by the person who rejected', () => {
  it('is answered as theirs, and the deployment stopped once', async () => {
    const { h } = suite;
    await h.command(ANN, '/deploy start twice v1.0.0');
    // As the person's Slack shows it: with its buttons, whatever edits follow.
    const gate = structuredClone(
      await h.waitFor('the gate message', () => h.fake.messages.find((m) => m.text.includes('*Go* gate'))),
    );
    const answerTo = async (tag: string) =>
      String((await h.waitFor('the answer', () => h.fake.responses.find((r) => r.tag === tag)))?.body.text);

    expect(await answerTo((await h.click(BEN, gate, 'gate.reject')).tag)).toBe(
      'you rejected the Go gate: the deployment has stopped, and its thread says so',
    );
    expect(await answerTo((await h.click(BEN, gate, 'gate.reject')).tag)).toBe(
      'you already rejected the Go gate: the deployment has stopped, and its thread says so',
    );
    const rejections = (await h.preflight.engine.store.audit('twice-1')).filter(
      (r) => r.type === 'gate.rejected',
    );
    expect(rejections.map((r) => r.actor)).toEqual(['ben']);
  });
});
