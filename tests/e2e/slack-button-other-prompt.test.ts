/**
 * A button counts for the prompt it is on. A signed click on one gate's message whose value names another gate of
 * the same deployment (or a checklist item, or a decision) is answered with what happened and what to do, and
 * changes nothing: as a ✅ on that message would approve only its own gate.
 */
import { randomUUID } from 'node:crypto';
import { beforeAll, expect, it } from 'vitest';
import type { FakeMessage } from '../helpers/fake-slack-api.ts';
import { blockAction } from '../helpers/signed-slack.ts';
import type { SlackHarness } from '../helpers/slack-harness.ts';
import { useSlackSuite } from '../helpers/slack-suite.ts';
import { ANN, BEN, CAT, threePeopleRunbook } from '../helpers/three-people-runbook.ts';

const RUNBOOK = threePeopleRunbook(
  'prompts',
  `groups: { ops: [ann, ben, cat] }
permissions: { deploy: [ops], rollback: [ops] }
gates:
  security: { title: Security, approvers: [ben], expires: 1h }
  operations: { title: Operations, approvers: [cat], expires: 1h }
steps:
  - { id: build, title: Build, needs: [security, operations], at: "+5m", run: "true" }
escalation: { levels: [{ id: L1, notify: [ann], respond_within: 15m }] }
`,
);

const suite = useSlackSuite(RUNBOOK);
let h: SlackHarness;
let security: FakeMessage;

beforeAll(async () => {
  h = suite.h;
  await h.command(ANN, '/deploy start prompts v1.0.0');
  security = await h.waitFor('the Security gate', () =>
    h.fake.messages.find((m) => m.text.includes('*Security* gate')),
  );
  await h.waitFor('the Operations gate', () =>
    h.fake.messages.find((m) => m.text.includes('*Operations* gate')),
  );
});

async function press(user: string, actionId: string, value: string, on: FakeMessage) {
  const tag = randomUUID();
  expect(
    (
      await h.send(
        blockAction({
          user,
          channel: on.channel,
          messageTs: on.ts,
          actionId,
          value,
          responseUrl: h.fake.responseUrl(tag),
        }),
      )
    ).status,
  ).toBe(200);
  const told = await h.waitFor(`the answer to ${actionId} ${value}`, () =>
    h.fake.responses.find((r) => r.tag === tag),
  );
  return String(told.body.text);
}

const OTHER_PROMPT =
  '⚠️ this button is not one Preflight put on the message it was pressed on (the message of gate security of prompts-1); nothing was done. See `/deploy status prompts-1`, and use the buttons on the message of what you meant, or the command.';

it('refuses Approve and Reject naming another gate of the deployment, pressed on the Security gate', async () => {
  expect(await press(CAT, 'gate.approve', 'prompts-1:operations', security)).toBe(OTHER_PROMPT);
  expect(await press(CAT, 'gate.reject', 'prompts-1:operations', security)).toBe(OTHER_PROMPT);
  expect(await press(ANN, 'decide', 'prompts-1:skip:1', security)).toBe(OTHER_PROMPT);
});

it('changed nothing: both gates still wait without approvals, and nothing was written for them', async () => {
  const d = await h.preflight.engine.store.get('prompts-1');
  expect(d?.state).toBe('awaiting_gates');
  expect(d?.gates.map((g) => [g.id, g.status, g.approvals.length])).toEqual([
    ['security', 'pending', 0],
    ['operations', 'pending', 0],
  ]);
  const audit = await h.preflight.engine.store.audit('prompts-1');
  expect(audit.filter((r) => r.actor !== 'preflight' && r.type !== 'deployment.requested')).toEqual([]);
});

it('still takes the message’s own button from its approver', async () => {
  expect(await press(BEN, 'gate.approve', 'prompts-1:security', security)).toMatch(/Security/);
  const d = await h.preflight.engine.store.get('prompts-1');
  expect(d?.gates.find((g) => g.id === 'security')?.status).toBe('approved');
});
