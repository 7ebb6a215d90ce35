/**
 * Taking a ✅ off a checklist item: while the checklist is open it unticks the item (silently, as before); once the
 * checklist has passed it unticks nothing, and on Slack the person is told, privately in the item's thread, that
 * their tick stands and what holds, stops or undoes the deployment instead, naming who may when they may not.
 */
import { beforeAll, describe, expect, it, onTestFinished } from 'vitest';
import { DEPLOY_CHANNEL, type FakeMessage } from '../helpers/fake-slack-api.ts';
import type { SlackHarness } from '../helpers/slack-harness.ts';
import { useSlackSuite } from '../helpers/slack-suite.ts';
import { ANN, BEN, CAT, threePeopleRunbook } from '../helpers/three-people-runbook.ts';

// Cat owns a checklist item but may neither pause nor abort; Ben may.
const RUNBOOK = threePeopleRunbook(
  'tick',
  `groups: { ops: [ann, ben] }
permissions: { deploy: [ops], rollback: [ops] }
checklist:
  - { id: notes, title: Notes reviewed, owner: [ben] }
  - { id: support, title: Support told, owner: [cat] }
gates:
  go: { title: Go, approvers: [ops] }
steps:
  - { id: build, title: Build, needs: [go], run: "sleep 300", timeout: 10m }
rollback:
  steps:
    - { id: undo, title: Undo, run: "true" }
escalation: { levels: [{ id: L1, notify: [ann], respond_within: 15m }] }
`,
);

const suite = useSlackSuite(RUNBOOK);
let h: SlackHarness;
beforeAll(() => {
  h = suite.h;
});

/** What Preflight said to `user` alone: ephemeral messages, direct messages. */
const toPerson = (user: string) =>
  h.fake.calls.filter(
    (c) =>
      (c.method === 'chat.postEphemeral' && c.params.user === user) ||
      (c.method === 'chat.postMessage' && c.params.channel === `D${user.slice(1)}`),
  );
const handled = () =>
  h.waitFor('the inbox to be empty', async () => (await h.preflight.chat.inbox.pending()) === 0);
const item = (id: string) => async () =>
  (await h.preflight.engine.store.get('tick-1'))?.checklist.find((i) => i.id === id);
/** Reacts and waits until the reaction is handled (it is recorded before Slack's 200). */
const react = async (user: string, message: FakeMessage, added = true) => {
  expect((await h.react(user, message, 'white_check_mark', { added })).status).toBe(200);
  await handled();
};

describe('a ✅ taken off a checklist item, on Slack', () => {
  it('unticks it while the checklist is open; once it passed, says the tick stands and what to do instead', async () => {
    expect((await h.command(ANN, '/deploy start tick v1.0.0')).status).toBe(200);
    onTestFinished(async () => {
      await h.command(ANN, '/deploy abort tick-1 end of test');
      await h.waitForState('tick-1', ['aborted']);
    });
    const inDeployChannel = (text: string) => () =>
      h.fake.messages.find((m) => m.channel === DEPLOY_CHANNEL && m.text.includes(text));
    const notes = await h.waitFor('the notes item', inDeployChannel('*Notes reviewed*'));
    const support = await h.waitFor('the support item', inDeployChannel('*Support told*'));

    // While the checklist is open, Ben's ✅ taken off unticks his item, without a word.
    await react(BEN, notes);
    expect(await item('notes')()).toMatchObject({ status: 'passed', by: 'ben' });
    await react(BEN, notes, false);
    expect((await item('notes')())?.status).toBe('pending');
    expect(toPerson(BEN).map((c) => c.params.text)).toEqual([]);

    // Both ticked: the checklist passes and the Go gate is asked for.
    await react(BEN, notes);
    await react(CAT, support);
    await h.waitFor('the gate message', inDeployChannel('*Go* gate'));
    await h.waitForState('tick-1', ['awaiting_gates']);

    // Cat, who may not pause or abort, is told her tick stands, and who may.
    await react(CAT, support, false);
    const toCat = await h.waitFor('the answer to Cat', () => toPerson(CAT)[0]);
    expect(toCat.method).toBe('chat.postEphemeral');
    expect(toCat.params.text).toBe(
      '⚠️ the checklist already passed, so your tick on "Support told" stands (taking your ✅ off does not untick it): its steps have not started yet. To hold tick-1\'s next steps: `/deploy pause tick-1` (only Ann, Ben may: ask them); to stop it: `/deploy abort tick-1` (only Ann, Ben may: ask them).',
    );
    expect(toCat.params.channel).toBe(DEPLOY_CHANNEL);
    expect(toCat.params.thread_ts).toBe(support.threadTs ?? support.ts);
    expect(await item('support')()).toMatchObject({ status: 'passed', by: 'cat' });

    // Once Build runs, Ben is told the same, with what he may do himself.
    const gate = await h.waitFor('the gate message', inDeployChannel('*Go* gate'));
    await react(BEN, gate);
    await h.waitFor('Build running', async () => {
      const d = await h.preflight.engine.store.get('tick-1');
      return d?.steps[0]?.status === 'running';
    });
    await react(BEN, notes, false);
    const toBen = await h.waitFor('the answer to Ben', () => toPerson(BEN)[0]);
    expect(toBen.params.text).toBe(
      '⚠️ the checklist already passed, so your tick on "Notes reviewed" stands (taking your ✅ off does not untick it): its steps have started. To hold tick-1\'s next steps: `/deploy pause tick-1`; to stop it: `/deploy abort tick-1`.',
    );
    expect(await item('notes')()).toMatchObject({ status: 'passed', by: 'ben' });
    expect((await h.preflight.engine.store.get('tick-1'))?.steps[0]?.status).toBe('running');
    // It is no refusal of access, and nothing was unticked after the checklist passed.
    const audit = await h.preflight.engine.store.audit('tick-1');
    expect(audit.filter((r) => r.type === 'access.refused')).toEqual([]);
    expect(audit.filter((r) => r.type === 'checklist.unticked')).toHaveLength(1);
  }, 60_000);
});
