import { beforeAll, expect, it } from 'vitest';
import { chatChannelKeys } from '../../src/jobs/chat-send-keys.ts';
import { recordEnqueued } from '../helpers/chat-send-fakes.ts';
import { DEPLOY_CHANNEL } from '../helpers/fake-slack-api.ts';
import type { SlackHarness } from '../helpers/slack-harness.ts';
import { useSlackSuite } from '../helpers/slack-suite.ts';

const DEPLOYMENTS = 100;
const WINDOW_MS = 40_000;
/**
 * The queue waits a full interval after the platform answered the previous call of the same kind (posts and
 * edits are paced apart), so arrivals are at least that far apart; this only absorbs the difference between
 * Redis's clock and the fake server's.
 */
const TOLERANCE_MS = 2;
const ANN = 'U0ANN0001';
const ENVIRONMENTS = Array.from({ length: DEPLOYMENTS }, (_, i) => `e${String(i + 1).padStart(3, '0')}`);

const RUNBOOK = `version: 1
service: fleet
timezone: UTC
environments: { ${ENVIRONMENTS.map((e, i) => `${e}: {${i === 0 ? ' default: true ' : ''}}`).join(', ')} }
channels: { deploy: "#deployments", incident: "#incident-response" }
people:
  ann: { name: Ann, slack: ${ANN} }
groups: { ops: [ann] }
permissions: { deploy: [ops], rollback: [ops] }
steps:
  - { id: later, title: Later, at: "+1h", run: "true" }
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

it('keeps 100 concurrent deployments in one channel under one post and one edit a second, losing nothing', async () => {
  const enqueued = recordEnqueued(h.preflight.chat.queue);

  const started = Date.now();
  const acks = await Promise.all(ENVIRONMENTS.map((e) => h.command(ANN, `/deploy start fleet v1.0.0 ${e}`)));
  expect(acks.every((a) => a.status === 200)).toBe(true);
  const slowestAck = Math.max(...acks.map((a) => a.ms));
  expect(slowestAck).toBeLessThan(3_000);
  const replies = await h.waitFor('100 replies', () =>
    acks.every((a) => h.fake.responses.some((r) => r.tag === a.tag))
      ? acks.map((a) => String(h.fake.responses.find((r) => r.tag === a.tag)?.body.text))
      : undefined,
  );
  expect(replies.filter((text) => text.startsWith('Starting fleet-'))).toHaveLength(DEPLOYMENTS);
  const ids = (await h.preflight.engine.store.list({ activeOnly: true, limit: 200 })).map((d) => d.id);
  expect(ids).toHaveLength(DEPLOYMENTS);

  await new Promise((r) => setTimeout(r, WINDOW_MS - (Date.now() - started)));
  // The queue first, then the calls: a post in flight between the two reads shows in both, never in neither.
  const keys = chatChannelKeys(h.preflight.prefix, 'slack:#deployments');
  const waiting = (await h.preflight.redis.lrange(keys.queue, 0, -1))
    .map((item) => JSON.parse(item) as { kind: string; key: string })
    .filter((item) => item.kind === 'post')
    .map((item) => item.key);
  const calls = h.fake.calls
    .filter(
      (c) => ['chat.postMessage', 'chat.update'].includes(c.method) && c.params.channel === DEPLOY_CHANNEL,
    )
    .sort((a, b) => a.at - b.at);
  const gapsOf = (method: string) => {
    const times = calls.filter((c) => c.method === method).map((c) => c.at);
    return times.slice(1).map((t, i) => t - (times[i] ?? 0));
  };
  const postGaps = gapsOf('chat.postMessage');
  const editGaps = gapsOf('chat.update');
  const minGap = Math.min(...postGaps, ...editGaps);
  console.log(
    `${DEPLOYMENTS} deployments: slowest ack ${slowestAck.toFixed(0)} ms; ${calls.length} calls to #deployments in ${WINDOW_MS / 1000} s (${postGaps.length + 1} posts); gaps of a kind min ${minGap.toFixed(1)} ms`,
  );
  expect(calls.length).toBeGreaterThan(WINDOW_MS / 1000 / 2);
  expect(calls.every((c) => c.status === 200 && !c.error)).toBe(true);
  expect(minGap).toBeGreaterThanOrEqual(1_000 - TOLERANCE_MS);

  // Nothing lost: each post was delivered once, in queue order, or is still queued in Redis.
  const postKeys = [...new Set(enqueued.filter((d) => d.kind === 'post').map((d) => d.key))];
  expect(postKeys.length).toBeGreaterThanOrEqual(DEPLOYMENTS);
  const delivered: string[] = [];
  for (const call of calls.filter((c) => c.method === 'chat.postMessage')) {
    const found = await h.preflight.chat.index.lookup('slack', DEPLOY_CHANNEL, String(call.result?.ts));
    delivered.push(found ? `${found.deploymentId}:${found.key}` : 'unknown');
  }
  expect(delivered).toEqual(postKeys.slice(0, delivered.length));
  expect(waiting.slice(-(postKeys.length - delivered.length))).toEqual(postKeys.slice(delivered.length));
  expect([...new Set([...delivered, ...waiting])].sort()).toEqual([...postKeys].sort());
}, 90_000);
