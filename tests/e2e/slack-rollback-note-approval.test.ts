/**
 * While a rollback waits for approval, the incident's thread says so: who asked, and that it waits for Ann or Cat,
 * by ✅ on the rollback's message in the deployment's thread. An approver's ✅ on that note is meant for the
 * rollback: they are told privately that it approved nothing and where it counts, rather than have it taken for an
 * acknowledgement of the incident while the rollback waits on. Their ✅ where it counts then rolls back.
 */
import { beforeAll, expect, it } from 'vitest';
import { INCIDENT_CHANNEL } from '../helpers/fake-slack-methods.ts';
import type { SlackHarness } from '../helpers/slack-harness.ts';
import { useSlackSuite } from '../helpers/slack-suite.ts';
import { ANN, BEN, CAT, threePeopleRunbook } from '../helpers/three-people-runbook.ts';

const RUNBOOK = threePeopleRunbook(
  'shop',
  `groups: { oncall: [ann, ben], lead: [cat] }
permissions: { deploy: [oncall], rollback: [oncall], incident: [oncall, lead] }
steps:
  - { id: ship, title: Ship, run: "true" }
rollback:
  approval: { approvers: [oncall, lead], required: 1 }
  steps:
    - { id: restore, title: Restore, run: "true" }
escalation:
  levels:
    - { id: L1, notify: [ann], via: [mention], respond_within: 1h }
    - { id: L2, notify: [lead], via: [mention], respond_within: 1h }
`,
);

const suite = useSlackSuite(RUNBOOK);
let h: SlackHarness;

beforeAll(async () => {
  h = suite.h;
  await h.command(ANN, '/deploy start shop v1.0.0');
  await h.waitForState('shop-1', ['succeeded']);
  await h.command(ANN, '/incident open shop-1 checkout answers 500');
  await h.waitFor('INC-1 open', async () => (await h.preflight.engine.incidents.openFor('shop-1'))?.id);
  await h.command(BEN, '/rollback shop-1');
});

it('tells an approver that ✅ on the incident’s note approves nothing, and where it counts', async () => {
  const note = await h.waitFor('the note that the rollback waits', () =>
    h.fake.messages.find(
      (m) =>
        m.channel === INCIDENT_CHANNEL && m.threadTs !== undefined && m.text.includes('asked to roll back'),
    ),
  );
  expect(note.text).toContain('it waits for 1 more approval, from Ann or Cat');
  expect((await h.react(CAT, note, 'white_check_mark')).status).toBe(200);
  const told = await h.waitFor('the answer to Cat', () =>
    h.fake.calls.find((c) => c.method === 'chat.postEphemeral' && c.params.user === CAT),
  );
  expect(String(told.params.text)).toBe(
    "⚠️ a ✅ on this note approves nothing, so no approval of the rollback of shop-1 was counted and it still waits: react ✅ on the rollback's message in the shop-1 thread, press its Approve rollback button, or type `/rollback shop-1`",
  );
  const waiting = await h.preflight.engine.store.get('shop-1');
  expect({
    state: waiting?.state,
    started: waiting?.rollback?.started,
    approvals: waiting?.rollback?.approvals,
  }).toEqual({ state: 'rolling_back', started: false, approvals: [] });

  const prompt = await h.messageOf('shop-1', `rollback:${waiting?.rollback?.at}`);
  await h.react(CAT, prompt, 'white_check_mark');
  const done = await h.waitForState('shop-1', ['rolled_back']);
  expect(done.rollback?.approvals.map((a) => a.by)).toEqual(['cat']);
}, 60_000);
