/**
 * An alert group over 1 MB sent to a real `preflight start` in Slack's HTTP mode, where the ingress thread owns the
 * port and reads each request before the bot's server sees it: Alertmanager gets the bot's own 413, which says to
 * set max_alerts (it does not send a 4xx again, so the group is lost), and /metrics counts it as too_large, as when
 * the bot's server takes the port itself (http-server.test.ts, metrics-alert-webhook.test.ts).
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { alertPayload, webhookCounts } from '../helpers/alert-webhook.ts';
import { oneGateRunbook } from '../helpers/one-gate-runbook.ts';
import { openSlowClient, settlesWithin } from '../helpers/slow-client.ts';
import type { RunningBot } from '../helpers/spawn-start.ts';
import { SLOW_START, useSpawnedSlackWorld } from '../helpers/spawned-slack-world.ts';

const TOKEN = 'webhook-token-7c1e';
const ADVICE =
  /^the body is (\d+\.\d MB|over 1\.0 MB); at most 1\.0 MB is accepted: Alertmanager does not retry it, so these alerts are lost: set max_alerts in the webhook_configs entry for Preflight \(e\.g\. max_alerts: 100;/;

const world = useSpawnedSlackWorld(oneGateRunbook('front'));
let bot: RunningBot;
beforeAll(async () => {
  bot = await world.start({ ...SLOW_START, env: { ALERTMANAGER_WEBHOOK_TOKEN: TOKEN } });
}, 120_000);

const post = (body: string | ReadableStream, headers: Record<string, string> = {}) =>
  fetch(`${bot.base}/webhooks/alertmanager`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: `Bearer ${TOKEN}`, ...headers },
    body,
    duplex: 'half',
  });

const webhooks = () => webhookCounts(bot.base);

describe('an alert group over 1 MB through the ingress thread', () => {
  it('is answered 413 saying to set max_alerts, declared, streamed or announced, and counted as too_large', async () => {
    expect(await webhooks()).toMatchObject({ too_large: 0, unauthorized: 0 });
    const streamed = new ReadableStream({
      start(controller) {
        for (let i = 0; i < 3; i++) controller.enqueue(new Uint8Array(1024 * 1024).fill(32));
        controller.close();
      },
    });
    for (const answer of [await post(' '.repeat(2_000_000)), await post(streamed)]) {
      expect(answer.status).toBe(413);
      expect(((await answer.json()) as { error: string }).error).toMatch(ADVICE);
    }
    // Refused before 100 Continue: the body is never asked for.
    const announced = await openSlowClient(
      Number(new URL(bot.base).port),
      `POST /webhooks/alertmanager HTTP/1.1\r\nHost: preflight\r\nAuthorization: Bearer ${TOKEN}\r\nContent-Type: application/json\r\nContent-Length: 5000000\r\nExpect: 100-continue\r\n\r\n`,
    );
    const received = await settlesWithin(announced.closed, 5_000, 'the answer to Expect: 100-continue');
    expect(received).not.toContain('100 Continue');
    expect(received).toMatch(/^HTTP\/1\.1 413 /);
    expect(received).toContain(
      '"error":"the body is 4.8 MB; at most 1.0 MB is accepted: Alertmanager does not retry it, so these alerts are lost: set max_alerts',
    );
    // Without the token, a large body is refused for the token, as the bot's server alone refuses it.
    expect((await post(' '.repeat(2_000_000), { authorization: 'Bearer wrong' })).status).toBe(401);
    expect(await webhooks()).toMatchObject({ too_large: 3, unauthorized: 1 });
  });

  it('takes a small alert group whatever a client says of a body left behind', async () => {
    const before = (await webhooks()).too_large;
    const firing = alertPayload('FrontDown', [
      { name: 'FrontDown', fingerprint: 'f1', labels: { service: 'front' } },
    ]);
    const answer = await post(JSON.stringify(firing), { 'x-preflight-body-over-limit': '5000000' });
    expect(answer.status).toBe(200);
    expect(await webhooks()).toMatchObject({ too_large: before });
  });
});
