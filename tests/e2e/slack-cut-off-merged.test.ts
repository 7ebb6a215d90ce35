/**
 * Step results that waited together go out as one reply. Slack took such a reply but its answer was lost (500);
 * more step results arrived before the retry. The retry finds the reply that went out and settles only what it
 * carried: the later step results still go out, and every step result shows in Slack exactly once.
 */
import { mkdtempSync } from 'node:fs';
import { writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import type { MessageTopic } from '../../src/core/index.ts';
import type { ChatDelivery } from '../../src/jobs/chat-send-types.ts';
import { aroundEnqueue } from '../helpers/chat-send-fakes.ts';
import type { SlackHarness } from '../helpers/slack-harness.ts';
import { useSlackSuite } from '../helpers/slack-suite.ts';

const ANN = 'U0ANN0001';
// Step two finishes only once the test lets it: after Slack took step one's result and before it answers.
const FLAG = join(mkdtempSync(join(tmpdir(), 'preflight-cut-off-')), 'go');

const RUNBOOK = `version: 1
service: merged
timezone: UTC
environments: { production: { default: true } }
channels: { deploy: "#deployments", incident: "#incident-response" }
people:
  ann: { name: Ann, slack: ${ANN} }
groups: { ops: [ann] }
permissions: { deploy: [ops], rollback: [ops] }
steps:
  - { id: one, title: One, run: "true" }
  - { id: two, title: Two, run: "while [ ! -e '${FLAG}' ]; do sleep 0.05; done" }
  - { id: three, title: Three, run: "true" }
  - { id: four, title: Four, run: "true" }
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

const TITLES = ['One', 'Two', 'Three', 'Four'];
const stepOf = (d: ChatDelivery) => (d.payload as { topic?: MessageTopic }).topic;

describe('a merged step results reply cut off before Slack answered', () => {
  it('shows every step result once when results arrived before the retry', async () => {
    const queued: ChatDelivery[] = [];
    aroundEnqueue(h.preflight.chat.queue, async (deliveries, enqueueAll) => {
      await enqueueAll(deliveries);
      queued.push(...deliveries);
    });
    const stepQueued = (id: string) =>
      queued.some((d) => {
        const topic = stepOf(d);
        return d.kind === 'post' && topic?.kind === 'step' && topic.step === id;
      });
    let cut = 0;
    h.fake.beforeAnswer(async ({ method, params }) => {
      if (method !== 'chat.postMessage' || cut > 0 || !String(params.text).includes('*One* succeeded'))
        return;
      cut++;
      // Slack has posted it; the later steps finish and their results are queued before the answer is lost.
      await writeFile(FLAG, '');
      await h.waitFor('the later step results queued', () => ['two', 'three', 'four'].every(stepQueued));
      return { status: 500 };
    });

    const started = await h.command(ANN, '/deploy start merged v1.0.0');
    expect(started.status).toBe(200);
    const reply = await h.waitFor('the start reply', () =>
      h.fake.responses.find((r) => r.tag === started.tag),
    );
    const id = /Starting (\S+):/.exec(String(reply.body.text))?.[1] ?? 'no id';
    await h.waitForState(id, ['succeeded'], 30_000);
    await h.waitFor('the queue to drain', () => h.preflight.settled(), 30_000);
    h.fake.beforeAnswer(undefined);

    expect(cut).toBe(1);
    const root = h.fake.messages.find((m) => !m.threadTs && m.text.includes(`(${id})`));
    const thread = h.fake.messages.filter((m) => m.threadTs === root?.ts);
    const shown = (title: string) => thread.filter((m) => m.text.includes(`*${title}* succeeded`)).length;
    expect(TITLES.map(shown)).toEqual([1, 1, 1, 1]);
    expect(h.fake.deleted).toHaveLength(0);
    expect(h.fake.calls.some((c) => c.method === 'conversations.replies' && c.status === 200)).toBe(true);
  }, 60_000);
});
