/**
 * Slack end to end: someone who is not a gate's approver reacts ✅ or presses Approve. The refusal names who may
 * approve it for this deployment: the requester is one of the gate's approvers, but their own approval would not
 * count (four eyes), so they are not among the people the refused person is sent to, and the answer says why.
 */
import { expect, it } from 'vitest';
import { useSlackSuite } from '../helpers/slack-suite.ts';
import { ANN, CAT, threePeopleRunbook } from '../helpers/three-people-runbook.ts';

const suite = useSlackSuite(
  threePeopleRunbook(
    'shop',
    `groups: { ops: [ann, ben] }
permissions: { deploy: [ops], rollback: [ops] }
gates:
  go: { title: Go, approvers: [ops], required: 1 }
steps:
  - { id: build, title: Build, needs: [go], run: "true" }
escalation: { levels: [{ id: L1, notify: [ann], respond_within: 15m }] }
`,
  ),
);

const REFUSAL =
  '⚠️ only Ben can approve the Go gate (gates.go.approvers, not Ann: they requested this deployment); your approval was not counted';

it('sends a refused approver to the approvers whose approval counts, by reaction and by button', async () => {
  const { h } = suite;
  await h.command(ANN, '/deploy start shop v1.0.0');
  await h.waitForState('shop-1', ['awaiting_gates']);
  const gate = await h.messageOf('shop-1', 'gate:go');

  await h.react(CAT, gate, 'white_check_mark');
  const whisper = await h.waitFor('the refusal of the reaction', () =>
    h.fake.calls.find((c) => c.method === 'chat.postEphemeral' && c.params.user === CAT),
  );
  expect(whisper.params.text).toBe(REFUSAL);

  const { tag } = await h.click(CAT, gate, 'gate.approve');
  const answer = await h.waitFor('the refusal of the click', () =>
    h.fake.responses.find((r) => r.tag === tag),
  );
  expect(answer.body.text).toBe(REFUSAL);
  expect((await h.preflight.engine.store.get('shop-1'))?.gates[0]?.approvals).toEqual([]);
});
