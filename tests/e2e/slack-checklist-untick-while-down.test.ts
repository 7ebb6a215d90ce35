/**
 * A manual checklist item ticked with ✅, whose ✅ is taken off while the bot is down: once it starts again the
 * read-back finds the ✅ gone and unticks the item, as taking it off live does while the checklist is open, and the
 * audit trail says who unticked it; another item's ✅ still there keeps its tick.
 */
import { expect, it } from 'vitest';
import { useSlackSuite } from '../helpers/slack-suite.ts';
import { BEN, CAT, threePeopleRunbook } from '../helpers/three-people-runbook.ts';

const suite = useSlackSuite(
  threePeopleRunbook(
    'lists',
    `groups: { ops: [ann, ben, cat] }
permissions: { deploy: [ops], rollback: [ops] }
checklist:
  - { id: notes, title: Release notes reviewed, owner: [ben] }
  - { id: support, title: Support knows, owner: [cat] }
  - { id: docs, title: Docs updated, owner: [cat] }
steps:
  - { id: build, title: Build, run: "true" }
escalation: { levels: [{ id: L1, notify: [ann], respond_within: 15m }] }
`,
  ),
);

it('a ✅ taken off a ticked checklist item while the bot was down unticks it, with the audit saying so', async () => {
  const { h } = suite;
  expect((await h.command('U0ANN0001', '/deploy start lists v1.0.0')).status).toBe(200);
  const notes = await h.messageOf('lists-1', 'checklist-item:notes');
  const support = await h.messageOf('lists-1', 'checklist-item:support');
  // Slack keeps each ✅ on its message (what a read-back finds), and tells the bot of it.
  notes.reactedBy.white_check_mark = [BEN];
  expect((await h.react(BEN, notes, 'white_check_mark')).status).toBe(200);
  support.reactedBy.white_check_mark = [CAT];
  expect((await h.react(CAT, support, 'white_check_mark')).status).toBe(200);
  const items = async () =>
    Object.fromEntries(
      ((await h.preflight.engine.store.get('lists-1'))?.checklist ?? []).map((i) => [i.id, i.status]),
    );
  await h.waitFor('both ticks', async () => {
    const now = await items();
    return now.notes === 'passed' && now.support === 'passed';
  });

  // Ben takes his ✅ off while the bot is down; Cat's stays.
  await h.restart(() => {
    notes.reactedBy.white_check_mark = [];
  });
  await h.waitFor('the notes item unticked', async () => (await items()).notes === 'pending', 20_000);
  const deployment = await h.preflight.engine.store.get('lists-1');
  expect(deployment?.state).toBe('checklist');
  expect((await items()).support).toBe('passed');
  const audit = await h.preflight.engine.store.audit('lists-1');
  expect(audit.filter((r) => r.type === 'checklist.unticked').map((r) => [r.actor, r.detail])).toEqual([
    ['ben', { item: 'notes' }],
  ]);
});
