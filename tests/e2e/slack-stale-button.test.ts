/**
 * Buttons on messages an earlier Preflight posted, pressed after it was started again on fresh Redis data (a new
 * Redis, a wiped volume): its deployments and incidents are numbered from 1 again, so an old message's Acknowledge
 * or Approve names an id that is now someone else's. The press is refused with what to do instead; the new incident
 * is still paging and the new gate still waits. Buttons on the new messages work as before.
 */
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEPLOY_CHANNEL, type FakeMessage, INCIDENT_CHANNEL } from '../helpers/fake-slack-api.ts';
import { ANN, BEN, oneGateRunbook } from '../helpers/one-gate-runbook.ts';
import { startTestRedis, type TestRedis } from '../helpers/redis-server.ts';
import { type SlackHarness, startSlackHarness } from '../helpers/slack-harness.ts';

let redis: TestRedis;
let dir: string;
let h: SlackHarness | undefined;

/** A Preflight on its own key prefix: to it, the Redis is fresh. */
const startPreflight = () =>
  startSlackHarness({ redisUrl: redis.url, runbookPath: join(dir, 'runbook.yaml') });

beforeAll(async () => {
  redis = await startTestRedis();
  dir = await mkdtemp(join(tmpdir(), 'preflight-stale-'));
  await writeFile(join(dir, 'runbook.yaml'), oneGateRunbook('stale'));
});
afterAll(async () => {
  await h?.stop();
  await redis?.stop();
  await rm(dir, { recursive: true, force: true });
});

const topLevel = (s: SlackHarness, channel: string, text: string) => () =>
  s.fake.messages.find((m) => m.channel === channel && !m.threadTs && m.text.includes(text));
const answerTo = (s: SlackHarness, tag: string) =>
  s.waitFor('the answer to the click', () => s.fake.responses.find((r) => r.tag === tag)?.body);

describe('a button from before Preflight started again on fresh data', () => {
  let oldIncident: FakeMessage;
  let oldGate: FakeMessage;

  beforeAll(async () => {
    const before = await startPreflight();
    await before.command(ANN, '/deploy start stale v1.0.0');
    oldGate = await before.waitFor('the first run’s gate', () =>
      before.fake.messages.find((m) => m.text.includes('*Go* gate')),
    );
    await before.command(ANN, '/incident open stale-1 last week’s outage');
    oldIncident = await before.waitFor(
      'the first run’s incident',
      topLevel(before, INCIDENT_CHANNEL, 'last week’s outage'),
    );
    await before.stop();
    h = await startPreflight();
  });

  it('Acknowledge on the old incident is refused; the new INC-1 keeps paging', async () => {
    const s = h as SlackHarness;
    await s.command(ANN, '/incident open stale production database down');
    const current = await s.waitFor('the new incident', topLevel(s, INCIDENT_CHANNEL, 'database down'));
    expect(current.text).toContain('INC-1');

    const click = await s.click(ANN, oldIncident, 'incident.ack');
    expect(click.status).toBe(200);
    const answer = await answerTo(s, click.tag);
    expect(answer).toMatchObject({ response_type: 'ephemeral', replace_original: false });
    expect(answer.text).toBe(
      '⚠️ this button is on a message Preflight has no record of (posted before its data was reset, or more than 90 days ago), so INC-1 may now be something else; nothing was done. See `/incident status INC-1`, and use the buttons on its current message or the command.',
    );
    expect((await s.preflight.engine.incidents.get('INC-1'))?.state).toBe('open');

    const fresh = await s.click(ANN, current, 'incident.ack');
    expect((await answerTo(s, fresh.tag)).text).toBe('acknowledged INC-1; paging stopped');
    expect((await s.preflight.engine.incidents.get('INC-1'))?.ack?.by).toBe('ann');
  });

  it('Approve on the old gate is refused; the new deployment’s gate still waits', async () => {
    const s = h as SlackHarness;
    await s.command(ANN, '/deploy start stale v2.0.0');
    await s.waitFor('the new status message', topLevel(s, DEPLOY_CHANNEL, 'stale v2.0.0'));
    await s.waitForState('stale-1', ['awaiting_gates']);

    const click = await s.click(BEN, oldGate, 'gate.approve');
    const answer = await answerTo(s, click.tag);
    expect(answer.text).toBe(
      '⚠️ this button is on a message Preflight has no record of (posted before its data was reset, or more than 90 days ago), so stale-1 may now be something else; nothing was done. See `/deploy status stale-1`, and use the buttons on its current message or the command.',
    );
    const d = await s.preflight.engine.store.get('stale-1');
    expect(d?.version).toBe('v2.0.0');
    expect(d?.gates.map((g) => [g.id, g.status, g.approvals.length])).toEqual([['go', 'pending', 0]]);
  });
});
