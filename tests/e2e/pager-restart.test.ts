/**
 * A bot killed while PagerDuty holds its page request open: the page is not lost, and the bot started again sends
 * it within seconds (the job's lock, renewed while it runs, lapses after 10 s instead of BullMQ's default 30 s,
 * then a stalled check hands it on), not a minute later; the thread is not told it went "after all", and says
 * L1 was paged once (the page is recorded when it is due, not when PagerDuty takes it).
 */
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { INCIDENT_CHANNEL } from '../helpers/fake-slack-methods.ts';
import { postToSlackEndpoint, slashCommand } from '../helpers/signed-slack.ts';
import { useSpawnedSlackWorld } from '../helpers/spawned-slack-world.ts';

const RUNBOOK = `version: 1
service: svc
timezone: UTC
environments: { production: { default: true } }
channels: { deploy: "#deployments", incident: "#incident-response" }
people:
  alice: { name: Alice, slack: U0ALICE01, pagerduty: PALICE1 }
  bob: { name: Bob, slack: U0BOB0001, pagerduty: PBOB001 }
groups: { ops: [alice, bob] }
permissions: { deploy: [ops], rollback: [ops], incident: [ops] }
steps:
  - { id: ship, title: Ship it, run: "true" }
escalation:
  levels:
    - { id: L1, notify: [alice], via: [mention, pagerduty], respond_within: 15m }
`;

let pagerDuty: Server;
/** PagerDuty's requests: when each arrived, and its body. */
const arrivals: { at: number; body: Record<string, unknown> }[] = [];
let answering = false;

// Started before the world and stopped after it, so no bot outlives its PagerDuty.
beforeAll(async () => {
  pagerDuty = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      arrivals.push({ at: Date.now(), body: JSON.parse(Buffer.concat(chunks).toString('utf8')) });
      // Until told otherwise PagerDuty holds the request open, as a hung load balancer would.
      if (!answering) return;
      res.writeHead(202, { 'content-type': 'application/json' });
      res.end('{"status":"success","message":"Event processed"}');
    });
  });
  await new Promise<void>((r) => pagerDuty.listen(0, '127.0.0.1', r));
});
afterAll(() => {
  pagerDuty?.closeAllConnections();
  pagerDuty?.close();
});
const world = useSpawnedSlackWorld(RUNBOOK);

const start = () =>
  world.start({
    env: {
      PAGERDUTY_ROUTING_KEY: 'R0UTINGKEY0000000000000000000000',
      PAGERDUTY_EVENTS_URL: `http://127.0.0.1:${(pagerDuty.address() as AddressInfo).port}/v2/enqueue`,
    },
  });

async function until<T>(what: string, find: () => T | undefined, timeoutMs: number): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const found = find();
    if (found !== undefined) return found;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

const thread = (words: string) =>
  world.slack.messages.find((m) => m.channel === INCIDENT_CHANNEL && m.threadTs && m.text.includes(words));

describe('a bot killed during a PagerDuty call', () => {
  it('sends the page again once started again', async () => {
    const first = await start();
    const opened = await postToSlackEndpoint(
      `${first.base}/slack/events`,
      slashCommand({
        user: 'U0ALICE01',
        command: '/incident',
        text: 'open svc production checkout is failing',
        channel: 'C0INCIDNT1',
        responseUrl: `${world.slack.url}/respond/open`,
        triggerId: 'trigger-open',
      }),
    );
    expect(opened.status).toBe(200);
    const held = await until('the page to reach PagerDuty', () => arrivals[0], 20_000);
    expect(held.body.event_action).toBe('trigger');
    await first.kill();
    answering = true;

    const second = await start();
    // 45 s is this test's patience, not a figure: the job's lock lapses after 10 s, BullMQ's default is 30 s.
    const again = await until('the page sent again', () => arrivals[1], 45_000);
    expect(again.body.dedup_key).toBe(held.body.dedup_key);
    expect(again.body.payload).toMatchObject({ summary: expect.stringContaining('checkout is failing') });

    // Nobody was told PagerDuty had not taken the page (the try was cut off, not answered): no "after all" follows.
    expect((await world.command(second, 'U0ALICE01', '/ack', 'ack')).status).toBe(200);
    await until('the acknowledgement in the thread', () => thread('acknowledged INC-1'), 20_000);
    expect(thread('after all')).toBeUndefined();
    // PagerDuty dedups the trigger sent again (its dedup_key); the thread too says L1 was paged once.
    const pagedPosts = world.slack.messages.filter(
      (m) => m.channel === INCIDENT_CHANNEL && m.text.includes('L1* paged'),
    );
    expect(pagedPosts).toHaveLength(1);
  }, 90_000);
});
