/**
 * Slack took a status message but its answer was lost, and looking the message up keeps failing (500s, then
 * conversations.history rate-limited for half a minute). Another deployment's gate prompt in the same channel
 * still arrives while the lookups fail; the replies under the unsure status message wait for it; once lookups
 * work again it is found, not posted twice, and its gate prompt follows in its thread.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import type { FakeMessage } from '../helpers/fake-slack-api.ts';
import { ANN, oneGateRunbook } from '../helpers/one-gate-runbook.ts';
import type { SlackHarness } from '../helpers/slack-harness.ts';
import { useSlackSuite } from '../helpers/slack-suite.ts';

const RUNBOOK = oneGateRunbook('gated', { staging: true });

const suite = useSlackSuite(RUNBOOK);
let h: SlackHarness;
beforeAll(() => {
  h = suite.h;
});

const statusOf = (id: string) => h.fake.messages.filter((m) => !m.threadTs && m.text.includes(`(${id})`));
const gateUnder = (root: FakeMessage) =>
  h.fake.messages.filter((m) => m.threadTs === root.ts && m.text.includes('*Go* gate'));
const lookups = () => h.fake.calls.filter((c) => c.method === 'conversations.history');

async function start(line: string): Promise<string> {
  const started = await h.command(ANN, line);
  expect(started.status).toBe(200);
  const reply = await h.waitFor('the start reply', () => h.fake.responses.find((r) => r.tag === started.tag));
  return /Starting (\S+):/.exec(String(reply.body.text))?.[1] ?? `no id in ${String(reply.body.text)}`;
}

describe('a post whose lookup keeps failing', () => {
  it('does not hold up another deployment’s gate prompt, and is settled once when lookups recover', async () => {
    await h.waitFor('the channel to be idle', () => h.preflight.settled());
    // The status message is posted but answered 500; every lookup of it fails until the test heals them.
    h.fake.fail('chat.postMessage', { status: 500, applied: true }, 1);
    h.fake.fail('conversations.history', { status: 500 }, 2);
    h.fake.fail('conversations.history', { status: 429, retryAfter: 30 }, 1_000);
    const unsure = await start('/deploy start gated v1.0.0');
    const [root] = await h.waitFor(
      'the unsure status message',
      () => statusOf(unsure).length > 0 && statusOf(unsure),
    );
    if (!root) throw new Error('no status message');
    await h.waitFor('its lookup rate-limited', () => lookups().some((c) => c.status === 429));

    const other = await start('/deploy start gated v2.0.0 staging');
    const [otherRoot] = await h.waitFor(
      `${other} status message`,
      () => statusOf(other).length > 0 && statusOf(other),
    );
    if (!otherRoot) throw new Error('no status message');
    await h.waitFor(`${other} gate prompt`, () => gateUnder(otherRoot).length > 0);
    // It arrived while the lookups still fail; the gate prompt under the unsure status message waits for it.
    expect(lookups().every((c) => c.status !== 200)).toBe(true);
    expect(gateUnder(root)).toHaveLength(0);
    expect(h.fake.messages.filter((m) => m.text.includes('*Go* gate') && !m.threadTs)).toHaveLength(0);

    h.fake.heal('conversations.history');
    await h.waitFor(`${unsure} gate prompt`, () => gateUnder(root).length > 0, 60_000);
    await h.waitFor('the queue to drain', () => h.preflight.settled(), 30_000);
    expect(lookups().some((c) => c.status === 200)).toBe(true);
    expect(statusOf(unsure)).toHaveLength(1);
    expect(h.fake.deleted).toHaveLength(0);
    expect(gateUnder(root)).toHaveLength(1);
    expect(gateUnder(otherRoot)).toHaveLength(1);
    expect(statusOf(other)).toHaveLength(1);
  }, 90_000);
});
