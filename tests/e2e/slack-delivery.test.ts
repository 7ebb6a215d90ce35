import { beforeAll, describe, expect, it } from 'vitest';
import { recordEnqueued } from '../helpers/chat-send-fakes.ts';
import { BOT_USER_ID, DEPLOY_CHANNEL, type FakeMessage } from '../helpers/fake-slack-api.ts';
import type { SlackHarness } from '../helpers/slack-harness.ts';
import { useSlackSuite } from '../helpers/slack-suite.ts';

const ANN = 'U0ANN0001';
const BEN = 'U0BEN0001';
const CAT = 'U0CAT0001';

const RUNBOOK = `version: 1
service: gated
timezone: UTC
environments: { production: { default: true }, staging: {} }
channels: { deploy: "#deployments", incident: "#incident-response" }
people:
  ann: { name: Ann, slack: ${ANN} }
  ben: { name: Ben, slack: ${BEN} }
  cat: { name: Cat, slack: ${CAT} }
groups: { ops: [ann, ben, cat] }
permissions: { deploy: [ops], rollback: [ops] }
gates:
  go: { title: Go, approvers: [ops], required: 2 }
steps:
  - { id: build, title: Build, needs: [go], run: "seq 1 40" }
rollback:
  steps:
    - { id: undo, title: Undo, run: "true" }
escalation: { levels: [{ id: L1, notify: [ann], respond_within: 15m }] }
`;

const suite = useSlackSuite(RUNBOOK);
let h: SlackHarness;
beforeAll(() => {
  h = suite.h;
});

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const replyTo = (tag: string) => h.fake.responses.find((r) => r.tag === tag)?.body;

async function startAndFindGate(line: string): Promise<{ id: string; root: FakeMessage; gate: FakeMessage }> {
  const started = await h.command(ANN, line);
  expect(started.status).toBe(200);
  const reply = await h.waitFor('the start reply', () => replyTo(started.tag));
  const id = /Starting (\S+):/.exec(String(reply.text))?.[1] ?? `no id in ${String(reply.text)}`;
  const root = await h.waitFor(`${id} status message`, () =>
    h.fake.messages.find((m) => !m.threadTs && m.text.includes(`(${id})`)),
  );
  const gate = await h.waitFor(`${id} gate message`, () =>
    h.fake.messages.find((m) => m.threadTs === root.ts && m.text.includes('*Go* gate')),
  );
  return { id, root, gate };
}

async function audit(id: string, type: string, by?: string) {
  return (await h.preflight.engine.store.audit(id)).filter(
    (r) => r.type === type && (by === undefined || r.actor === by),
  );
}

describe('duplicates and impostors', () => {
  it('applies a reaction Slack delivered three times (x-slack-retry-num 1, 2) once', async () => {
    const { id, gate } = await startAndFindGate('/deploy start gated v1.0.0');
    expect(id).toBe('gated-1');
    const answers = await Promise.all(
      [undefined, 1, 2].map((retryNum) =>
        h.react(BEN, gate, 'white_check_mark', {
          eventId: 'Ev0DUPLICATE1',
          ...(retryNum !== undefined && { retryNum }),
        }),
      ),
    );
    expect(answers.map((a) => a.status)).toEqual([200, 200, 200]);
    await h.waitFor('the approval', async () => (await audit('gated-1', 'gate.approval')).length > 0);
    await sleep(500);
    const d = await h.waitForState('gated-1', ['awaiting_gates']);
    expect(d.gates[0]?.approvals.map((a) => a.by)).toEqual(['ben']);
    expect(await audit('gated-1', 'gate.approval')).toHaveLength(1);
  });

  it('refuses forged and stale approvals with 401, and ignores the bot reacting to its own message', async () => {
    const gate = h.fake.messages.find((m) => m.text.includes('*Go* gate'));
    if (!gate) throw new Error('no gate message');
    const records = (await h.preflight.engine.store.audit('gated-1')).length;
    const forged = await h.react(CAT, gate, 'white_check_mark', { sign: { secret: 'guessed-secret' } });
    const stale = await h.react(CAT, gate, 'white_check_mark', {
      sign: { timestamp: Math.floor(Date.now() / 1000) - 5 * 60 - 30 },
    });
    const self = await h.react(BOT_USER_ID, gate, 'white_check_mark');
    expect([forged.status, stale.status, self.status]).toEqual([401, 401, 200]);
    await sleep(1_500);
    const d = await h.waitForState('gated-1', ['awaiting_gates']);
    expect(d.gates[0]?.approvals.map((a) => a.by)).toEqual(['ben']);
    expect((await h.preflight.engine.store.audit('gated-1')).length).toBe(records);
    // Had the bot's own reaction been dispatched, Preflight would have answered that it does not know U0PREFLIGHT.
    expect(h.fake.messages.some((m) => m.text.includes(BOT_USER_ID))).toBe(false);
  });

  it('counts a double click once and uploads long step output as a file in the thread', async () => {
    const gate = h.fake.messages.find((m) => m.text.includes('*Go* gate'));
    if (!gate) throw new Error('no gate message');
    const clicks = await Promise.all([
      h.click(CAT, gate, 'gate.approve'),
      h.click(CAT, gate, 'gate.approve'),
    ]);
    expect(clicks.every((c) => c.status === 200 && c.ms < 3_000)).toBe(true);
    const replies = await Promise.all(
      clicks.map((c) => h.waitFor('the click reply', () => replyTo(c.tag)).then((r) => String(r.text))),
    );
    expect(replies.sort()).toEqual([
      expect.stringContaining('Go gate approved (2 of 2)'),
      expect.stringContaining('your approval of the Go gate is already counted'),
    ]);
    const d = await h.waitForState('gated-1', ['succeeded', 'failed'], 20_000);
    expect(d.state).toBe('succeeded');
    expect(d.gates[0]?.approvals.map((a) => a.by)).toEqual(['ben', 'cat']);
    expect(await audit('gated-1', 'gate.approved')).toHaveLength(1);

    const root = h.fake.messages.find((m) => !m.threadTs && m.text.includes('(gated-1)'));
    const upload = await h.waitFor('the output file', () =>
      h.fake.calls.find((c) => c.method === 'files.completeUploadExternal' && c.status === 200),
    );
    expect(upload.params).toMatchObject({ channel_id: DEPLOY_CHANNEL, thread_ts: root?.ts });
    expect(upload.params.files).toEqual([{ id: expect.any(String), title: 'gated-1-build-1.log' }]);
    expect(h.fake.uploads.some((u) => u.raw.includes('39\n40'))).toBe(true);
    const step = h.fake.messages.find((m) => m.threadTs === root?.ts && m.text.includes('*Build*'));
    expect(step?.text).toContain('35 more lines in gated-1-build-1.log');
  });

  it('takes a rejection reason from a thread reply by the person who rejected', async () => {
    const { id, root, gate } = await startAndFindGate('/deploy start gated v1.2.0');
    expect(id).toBe('gated-2');
    const reject = await h.click(BEN, gate, 'gate.reject');
    expect(reject.status).toBe(200);
    await h.waitFor('the rejection', async () => (await audit('gated-2', 'gate.rejected')).length > 0);
    await h.replyInThread(ANN, root, 'I think it is fine');
    await h.replyInThread(BEN, root, 'the canary error rate is 4% & rising');
    await h.waitFor('the reason', async () => (await audit('gated-2', 'gate.rejection_reason')).length > 0);
    const d = await h.preflight.engine.store.get('gated-2');
    expect(d?.gates[0]?.rejection).toMatchObject({
      by: 'ben',
      reason: 'the canary error rate is 4% & rising',
    });
    await h.waitFor('the gate message edited', () =>
      h.fake.message(gate.channel, gate.ts)?.text.includes('4% &amp; rising'),
    );
  });
});

describe('Slack pushing back', () => {
  it('delivers every message once and in order through a burst of 429s and 5xx errors', async () => {
    await h.waitFor('earlier messages to go out', () => h.preflight.settled(), 30_000);
    const enqueued = recordEnqueued(h.preflight.chat.queue);
    const firstCall = h.fake.calls.length;
    h.fake.fail('chat.postMessage', { status: 429, retryAfter: 1 }, 5);
    h.fake.fail('chat.update', { status: 500 }, 2);
    const { id, gate } = await startAndFindGate('/deploy start gated v1.1.0 staging');
    await h.react(BEN, gate, 'white_check_mark');
    await h.react(CAT, gate, 'white_check_mark');
    await h.waitForState(id, ['succeeded'], 30_000);
    await h.waitFor('the queue to drain', () => h.preflight.settled(), 30_000);

    const calls = h.fake.calls.slice(firstCall).filter((c) => c.params.channel === DEPLOY_CHANNEL);
    const limited = calls.filter((c) => c.status === 429);
    expect(limited).toHaveLength(5);
    expect(calls.filter((c) => c.status === 500)).toHaveLength(2);
    for (const call of limited) {
      const next = calls.find((c) => c.at > call.at);
      expect(next && next.at - call.at).toBeGreaterThanOrEqual(1_000 - 10);
    }

    const postKeys = [...new Set(enqueued.filter((d) => d.kind === 'post').map((d) => d.key))];
    const posted = calls.filter((c) => c.method === 'chat.postMessage' && c.result);
    const delivered: string[] = [];
    for (const call of posted) {
      const found = await h.preflight.chat.index.lookup('slack', DEPLOY_CHANNEL, String(call.result?.ts));
      delivered.push(found ? `${found.deploymentId}:${found.key}` : `unknown ${String(call.params.text)}`);
    }
    expect(delivered).toEqual(postKeys);
    expect(postKeys.length).toBeGreaterThanOrEqual(5);
    const root = h.fake.messages.find((m) => !m.threadTs && m.text.includes(`(${id})`));
    expect(root?.text).toContain('succeeded');
    const thread = h.fake.messages.filter((m) => m.threadTs === root?.ts);
    expect(thread.length).toBe(postKeys.length - 1);
  }, 60_000);
});
