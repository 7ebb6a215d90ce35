/**
 * A ✅ added and removed at once: the two events may be handled in either order (the inbox handles entries side by
 * side), and the gate must end as the message shows, without the approval.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import type { FakeMessage } from '../helpers/fake-slack-api.ts';
import type { SlackHarness } from '../helpers/slack-harness.ts';
import { useSlackSuite } from '../helpers/slack-suite.ts';

const ANN = 'U0ANN0001';
const BEN = 'U0BEN0001';
const CAT = 'U0CAT0001';
const DAN = 'U0DAN0001';

const RUNBOOK = `version: 1
service: ordered
timezone: UTC
environments: { production: { default: true } }
channels: { deploy: "#deployments", incident: "#incident-response" }
people:
  ann: { name: Ann, slack: ${ANN} }
  ben: { name: Ben, slack: ${BEN} }
  cat: { name: Cat, slack: ${CAT} }
  dan: { name: Dan, slack: ${DAN} }
groups: { ops: [ann, ben, cat, dan] }
permissions: { deploy: [ops], rollback: [ops] }
gates:
  go: { title: Go, approvers: [ops], required: 3 }
steps:
  - { id: build, title: Build, needs: [go], at: "+1m", run: "true" }
escalation: { levels: [{ id: L1, notify: [ann], respond_within: 15m }] }
`;

const suite = useSlackSuite(RUNBOOK);
let h: SlackHarness;
beforeAll(() => {
  h = suite.h;
});

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** Until the inbox has handled everything recorded. */
async function handled(): Promise<void> {
  await h.waitFor('the inbox to be empty', async () => (await h.preflight.chat.inbox.pending()) === 0);
  await sleep(200);
}

async function approvers(): Promise<string[]> {
  const d = await h.preflight.engine.store.get('ordered-1');
  return d?.gates.find((g) => g.id === 'go')?.approvals.map((a) => a.by) ?? [];
}

describe('reactions handled out of order', () => {
  let gate: FakeMessage;

  it('a removal handled before the ✅ it removed leaves no approval; a later ✅ still counts', async () => {
    const started = await h.command(ANN, '/deploy start ordered v1.0.0');
    expect(started.status).toBe(200);
    gate = await h.waitFor('the gate message', () =>
      h.fake.messages.find((m) => m.text.includes('*Go* gate')),
    );
    const now = Math.floor(Date.now() / 1000);
    // Ben adds ✅ at .000100 and removes it at .000200; Slack's two events reach Preflight the other way round.
    const removed = await h.react(BEN, gate, 'white_check_mark', { added: false, eventTs: `${now}.000200` });
    expect(removed.status).toBe(200);
    await handled();
    const added = await h.react(BEN, gate, 'white_check_mark', { eventTs: `${now}.000100` });
    expect(added.status).toBe(200);
    await handled();
    expect(await approvers()).toEqual([]);
    const audit = await h.preflight.engine.store.audit('ordered-1');
    expect(audit.filter((r) => r.type === 'gate.approval')).toEqual([]);
    // Ben reacts again, later: that one counts.
    await h.react(BEN, gate, 'white_check_mark', { eventTs: `${now}.000300` });
    await h.waitFor('ben’s approval', async () => (await approvers()).includes('ben'));
  });

  it('the same events in order: added, then removed, end withdrawn', async () => {
    const now = Math.floor(Date.now() / 1000) + 1;
    await h.react(CAT, gate, 'white_check_mark', { eventTs: `${now}.000100` });
    await handled();
    expect(await approvers()).toEqual(['ben', 'cat']);
    await h.react(CAT, gate, 'white_check_mark', { added: false, eventTs: `${now}.000200` });
    await handled();
    expect(await approvers()).toEqual(['ben']);
  });

  it('the ✅ that completes the gate, removed before the step has started, reopens the gate', async () => {
    const now = Math.floor(Date.now() / 1000) + 2;
    await h.react(CAT, gate, 'white_check_mark', { eventTs: `${now}.000100` });
    await h.react(DAN, gate, 'white_check_mark', { eventTs: `${now}.000200` });
    await handled();
    const approved = await h.preflight.engine.store.get('ordered-1');
    expect(approved?.state).toBe('scheduled');
    expect(approved?.steps[0]?.status).toBe('waiting');

    await h.react(DAN, gate, 'white_check_mark', { added: false, eventTs: `${now}.000300` });
    await handled();
    const reopened = await h.preflight.engine.store.get('ordered-1');
    expect(reopened?.state).toBe('awaiting_gates');
    expect(reopened?.gates[0]?.status).toBe('pending');
    expect(reopened?.steps[0]?.status).toBe('pending');
    expect(await approvers()).toEqual(['ben', 'cat']);
    await h.waitFor('the note in the thread', () =>
      h.fake.messages.find((m) =>
        m.text.includes('withdrew their approval of the Go gate: it needs 1 more approval again'),
      ),
    );
  });
});
