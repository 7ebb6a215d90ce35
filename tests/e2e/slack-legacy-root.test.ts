/**
 * A status message queued by an older version carries no mark that it starts a thread. Slack took it but its
 * answer was lost, and looking it up fails for a while: its gate prompt must not be posted at the top of the
 * channel meanwhile. Once lookups work again the status message is found, not posted twice, and the gate prompt
 * follows in its thread.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { aroundEnqueue } from '../helpers/chat-send-fakes.ts';
import type { FakeMessage } from '../helpers/fake-slack-api.ts';
import { ANN, oneGateRunbook } from '../helpers/one-gate-runbook.ts';
import type { SlackHarness } from '../helpers/slack-harness.ts';
import { useSlackSuite } from '../helpers/slack-suite.ts';

const RUNBOOK = oneGateRunbook('gated');

const suite = useSlackSuite(RUNBOOK);
let h: SlackHarness;
beforeAll(() => {
  h = suite.h;
});

const isGate = (m: FakeMessage) => m.text.includes('*Go* gate');
const lookups = () => h.fake.calls.filter((c) => c.method === 'conversations.history');

describe('a status message queued without its thread mark, in doubt', () => {
  it('keeps its gate prompt out of the top of the channel until it is found', async () => {
    // Deliveries as an older version queued them: no thread root mark.
    aroundEnqueue(h.preflight.chat.queue, (deliveries, enqueueAll) =>
      enqueueAll(deliveries.map(({ root: _root, ...delivery }) => delivery)),
    );
    h.fake.fail('chat.postMessage', { status: 500, applied: true }, 1);
    h.fake.fail('conversations.history', { status: 500 }, 1_000);

    const started = await h.command(ANN, '/deploy start gated v1.0.0');
    expect(started.status).toBe(200);
    const reply = await h.waitFor('the start reply', () =>
      h.fake.responses.find((r) => r.tag === started.tag),
    );
    const id = /Starting (\S+):/.exec(String(reply.body.text))?.[1] ?? 'no id';
    await h.waitFor('lookups failing a while', () => lookups().length >= 4, 30_000);
    expect(h.fake.messages.filter(isGate)).toHaveLength(0);

    h.fake.heal('conversations.history');
    await h.waitFor('the queue to drain', () => h.preflight.settled(), 60_000);
    const roots = h.fake.messages.filter((m) => !m.threadTs && m.text.includes(`(${id})`));
    expect(roots).toHaveLength(1);
    const gates = h.fake.messages.filter(isGate);
    expect(gates.map((m) => m.threadTs)).toEqual([roots[0]?.ts]);
    expect(h.fake.deleted).toHaveLength(0);
  }, 90_000);
});
