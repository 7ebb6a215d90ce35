/**
 * On Slack, a look-alike of ✅ (👍, ✔️ …) on a rollback prompt approves nothing, and on a checklist item's message it
 * ticks nothing: a rollback approver, or the item's owner, who gives one is told privately, once per emoji, that it
 * was not counted and what counts, rather than left believing the four-eyes rollback has their approval or the item
 * is done. The asker (whose approval would not count) and anyone who may not approve or tick are not.
 */
import { expect, it } from 'vitest';
import { useSlackSuite } from '../helpers/slack-suite.ts';
import { ANN, BEN, CAT, threePeopleRunbook } from '../helpers/three-people-runbook.ts';

const s = useSlackSuite(
  threePeopleRunbook(
    'svc',
    `groups: { ops: [ann, ben, cat], leads: [ann, ben] }
permissions: { deploy: [ops], rollback: [ops] }
checklist:
  - { id: notes, title: Release notes reviewed, owner: [cat] }
steps:
  - { id: ship, title: Ship, run: "true" }
rollback:
  approval: { approvers: [leads], required: 1, allow_self: false }
  steps:
    - { id: undo, title: Undo, run: "true" }
escalation: { levels: [{ id: L1, notify: [ann], respond_within: 15m }] }
`,
  ),
);

const whispersTo = (user: string) =>
  s.h.fake.calls.filter((c) => c.method === 'chat.postEphemeral' && c.params.user === user);
const settled = () =>
  s.h.waitFor('the inbox to be empty', async () => (await s.h.preflight.chat.inbox.pending()) === 0);

it('tells the checklist item’s owner that a ✔️ on its message ticked nothing, and nobody else', async () => {
  const { h } = s;
  await h.command(ANN, '/deploy start svc v1.0.0');
  const item = await h.waitFor('the checklist item', () =>
    h.fake.messages.find((m) => m.text.startsWith('☐ *Release notes reviewed*')),
  );
  await h.react(BEN, item, 'heavy_check_mark');
  await h.react(CAT, item, 'heavy_check_mark');
  const told = await h.waitFor('the answer to Cat’s ✔️', () => whispersTo(CAT)[0]);
  expect(told.params.text).toBe(
    '⚠️ a ✔️ ticks nothing, so *Release notes reviewed* is not done: react ✅ on its message, or press its Done button',
  );
  await settled();
  expect(whispersTo(BEN)).toHaveLength(0);
  expect((await h.preflight.engine.store.get('svc-1'))?.state).toBe('checklist');

  await h.react(CAT, item, 'white_check_mark');
  await h.waitForState('svc-1', ['succeeded']);
});

it('tells a rollback approver that a 👍 on the rollback prompt approved nothing, and not the asker or others', async () => {
  const { h } = s;
  await h.command(ANN, '/rollback svc-1');
  const prompt = await h.waitFor('the rollback prompt', () =>
    h.fake.messages.find((m) => m.text.startsWith('↩️ *Rollback* of svc-1')),
  );
  const before = { ann: whispersTo(ANN).length, ben: whispersTo(BEN).length, cat: whispersTo(CAT).length };

  // Ann asked for it (her approval would not count) and Cat is no approver: their 👍 are only reactions.
  await h.react(ANN, prompt, '+1');
  await h.react(CAT, prompt, '+1');
  await h.react(BEN, prompt, '+1');
  await h.react(BEN, prompt, '+1', { added: false });
  await h.react(BEN, prompt, '+1');
  const told = await h.waitFor('the answer to Ben’s 👍', () => whispersTo(BEN)[before.ben]);
  expect(told.params).toMatchObject({ thread_ts: prompt.threadTs });
  expect(told.params.text).toBe(
    "⚠️ a 👍 approves nothing, so no approval of the rollback of svc-1 was counted: react ✅ on the rollback's message, or press its Approve rollback button",
  );
  await settled();
  expect(whispersTo(BEN)).toHaveLength(before.ben + 1);
  expect(whispersTo(ANN)).toHaveLength(before.ann);
  expect(whispersTo(CAT)).toHaveLength(before.cat);
  const d = await h.preflight.engine.store.get('svc-1');
  expect({ started: d?.rollback?.started, approvals: d?.rollback?.approvals.length }).toEqual({
    started: false,
    approvals: 0,
  });

  // The ✅ it points at does count.
  await h.react(BEN, prompt, 'white_check_mark');
  await h.waitFor(
    'the rollback to start',
    async () => (await h.preflight.engine.store.get('svc-1'))?.rollback?.started,
  );
});

it('says nothing of a 👍 on the prompt of a rollback that no longer waits (the deployment was aborted)', async () => {
  const { h } = s;
  await h.waitFor(
    'svc-1 rolled back',
    async () => (await h.preflight.engine.store.get('svc-1'))?.state !== 'rolling_back',
  );
  const unlock = await h.command(ANN, '/deploy unlock svc production undone');
  await h.waitFor('the unlock', () => h.fake.responses.find((r) => r.tag === unlock.tag));
  await h.command(ANN, '/deploy start svc v1.1.0');
  const item = await h.messageOf('svc-2', 'checklist-item:notes');
  await h.react(CAT, item, 'white_check_mark');
  await h.waitForState('svc-2', ['succeeded']);
  await h.command(ANN, '/rollback svc-2');
  const prompt = await h.waitFor('the rollback prompt', () =>
    h.fake.messages.find((m) => m.text.startsWith('↩️ *Rollback* of svc-2')),
  );
  await h.command(ANN, '/deploy abort svc-2');
  await h.waitForState('svc-2', ['aborted']);
  const before = whispersTo(BEN).length;
  await h.react(BEN, prompt, '+1');
  await settled();
  expect(
    whispersTo(BEN)
      .slice(before)
      .map((c) => c.params.text),
  ).toEqual([]);
});
