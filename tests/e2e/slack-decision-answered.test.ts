/**
 * A decision's buttons answer that decision only. Two operators see a migration fail and both press Retry: the
 * first retries it, it fails again at once and a new decision is asked; the second press, made on the first
 * decision's message, must not retry the migration a third time (on a decision its presser never saw). It is
 * refused with where the new decision is; a press on the new decision's message works.
 */
import { describe, expect, it } from 'vitest';
import { useSlackSuite } from '../helpers/slack-suite.ts';

const ANN = 'U0ANN0001';
const BEN = 'U0BEN0001';

const suite = useSlackSuite(`version: 1
service: redo
timezone: UTC
environments: { production: { default: true } }
channels: { deploy: "#deployments", incident: "#incident-response" }
people:
  ann: { name: Ann, slack: ${ANN} }
  ben: { name: Ben, slack: ${BEN} }
groups: { ops: [ann, ben] }
permissions: { deploy: [ops], rollback: [ops] }
steps:
  - { id: migrate, title: Migrate, run: "exit 3", idempotent: false, on_failure: ask }
escalation: { levels: [{ id: L1, notify: [ann], respond_within: 15m }] }
`);

describe('Retry pressed on a decision already taken', () => {
  it('does not run the step again for the decision asked after it', async () => {
    const h = suite.h;
    const decisions = () => h.fake.messages.filter((m) => m.text.startsWith('❓ *Decision needed*'));
    const answerTo = (tag: string) =>
      h.waitFor('the answer to the press', () => h.fake.responses.find((r) => r.tag === tag)?.body);
    const starts = async () =>
      (await h.preflight.engine.store.audit('redo-1')).filter((r) => r.type === 'step.started').length;

    await h.command(ANN, '/deploy start redo v1.0.0');
    const first = await h.waitFor('the first decision', () => decisions()[0]);
    await answerTo((await h.click(ANN, first, 'decide')).tag);
    const second = await h.waitFor('the second decision', () => decisions()[1]);
    expect(await starts()).toBe(2);

    const late = await h.click(BEN, first, 'decide');
    expect((await answerTo(late.tag)).text).toBe(
      '⚠️ the decision this button answers was already taken, and a new one is waiting (step "Migrate" failed with exit code 3). Choose on its message (the latest ❓ Decision needed) or with `/deploy decide retry|skip|rollback redo-1`.',
    );
    const d = await h.preflight.engine.store.get('redo-1');
    expect(d?.state).toBe('needs_decision');
    expect(await starts()).toBe(2);

    await answerTo((await h.click(BEN, second, 'decide')).tag);
    await h.waitFor('the third decision', () => decisions()[2]);
    expect(await starts()).toBe(3);
  });
});
