import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createRedisIncidentStore } from '../../src/infra/redis/redis-incident-store.ts';
import { repoRoot } from '../helpers/load-runbook.ts';
import { startTestRedis, type TestRedis } from '../helpers/redis-server.ts';
import { copySandbox, type SandboxCopy } from '../helpers/sandbox-copy.ts';
import { waitFor } from '../helpers/slack-harness.ts';
import { openSlowClient, settlesWithin } from '../helpers/slow-client.ts';
import { type RunningBot, spawnStart } from '../helpers/spawn-start.ts';
import { toyDownAlert } from '../helpers/toy-alert.ts';

let redis: TestRedis;
let sandbox: SandboxCopy;
let bot: RunningBot;
let base: string;

const fixture = JSON.parse(
  readFileSync(join(repoRoot, 'tests/fixtures/alertmanager/webhook-v4-firing.json'), 'utf8').replace(
    /"checkout/g,
    '"other',
  ),
) as Record<string, unknown>;

beforeAll(async () => {
  redis = await startTestRedis();
  sandbox = await copySandbox();
  bot = await spawnStart({
    REDIS_URL: redis.url,
    RUNBOOK: join(sandbox.dir, 'runbook.yaml'),
    LOG_LEVEL: 'silent',
  });
  base = bot.base;
}, 30_000);

afterAll(async () => {
  await bot?.stop();
  await sandbox?.remove();
  await redis?.stop();
});

const post = (body: unknown) =>
  fetch(`${base}/webhooks/alertmanager`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: typeof body === 'string' ? body : JSON.stringify(body),
  });

describe('preflight start over HTTP', () => {
  it('tells a request to /slack/events that Slack is not configured here, and what to set', async () => {
    for (const method of ['GET', 'POST']) {
      const answer = await fetch(`${base}/slack/events`, {
        method,
        ...(method === 'POST' && { body: '{}' }),
      });
      expect(answer.status).toBe(404);
      expect(await answer.json()).toEqual({
        error:
          'Slack is not configured on this Preflight: set SLACK_BOT_TOKEN and SLACK_SIGNING_SECRET (Slack calls POST /slack/events), or SLACK_BOT_TOKEN and SLACK_APP_TOKEN (Socket Mode), and restart it',
      });
    }
  });

  it('answers /healthz, /readyz and /metrics', async () => {
    expect(await (await fetch(`${base}/healthz`)).json()).toEqual({ status: 'ok' });
    expect(await (await fetch(`${base}/readyz`)).json()).toEqual({
      status: 'ready',
      checks: {
        redis: 'ok',
        topology: expect.stringMatching(/^standalone: primary 127\.0\.0\.1:\d+, 0 replicas$/),
        workers: 'running',
      },
    });
    const metrics = await (await fetch(`${base}/metrics`)).text();
    expect(metrics).toContain('preflight_deployments_active{state="running"} 0');
    expect(metrics).toContain('preflight_incidents_open{state="open"} 0');
    expect(metrics).toContain('preflight_queue_jobs{queue="pf-steps",state="waiting"} 0');
    expect(metrics).toContain('preflight_process_cpu_seconds_total');
  });

  it('ignores alerts for other services and refuses payloads that are not Alertmanager v4', async () => {
    const other = await post(fixture);
    expect(other.status).toBe(200);
    expect(await other.json()).toEqual({ matched: 0, incidents: [] });
    const notJson = await post('{oops');
    expect(notJson.status).toBe(400);
    expect(await notJson.json()).toEqual({ error: 'the body is not JSON' });
    const v3 = await post({ ...fixture, version: '3' });
    expect(v3.status).toBe(400);
    expect(((await v3.json()) as { error: string }).error).toBe(
      'not an Alertmanager v4 webhook: version: only Alertmanager webhook version "4" is understood (a custom "payload" template is not supported)',
    );
  });

  it('names what a payload that is not Alertmanager v4 lacks or holds wrongly, in words, not a parser message', async () => {
    const { groupKey: _groupKey, receiver: _receiver, ...partial } = fixture;
    const [alert] = fixture.alerts as Record<string, unknown>[];
    const cases = [
      [partial, 'groupKey is missing; receiver is missing'],
      [{ ...fixture, status: 'exploding' }, 'status should be "firing" or "resolved", not "exploding"'],
      [{ ...fixture, commonLabels: { severity: 3 } }, 'commonLabels.severity should be text, not a number'],
      [
        { ...fixture, alerts: [{ ...alert, labels: null }] },
        'alerts.0.labels should be a mapping of names to texts, not null',
      ],
      [[fixture], 'the body should be an object, not a list'],
    ] as const;
    for (const [bad, said] of cases) {
      const answer = await post(bad);
      expect(answer.status).toBe(400);
      const { error } = (await answer.json()) as { error: string };
      expect(error).toBe(
        `not an Alertmanager v4 webhook: ${said} (a custom "payload" template is not supported)`,
      );
    }
  });

  it('refuses an alert whose fingerprint or start is too long to be Alertmanager’s (it would name a stored key)', async () => {
    const [alert] = fixture.alerts as Record<string, unknown>[];
    const cases = [
      [
        { ...alert, fingerprint: 'f'.repeat(10_000) },
        'alerts.0.fingerprint: longer than 128 characters (Alertmanager sends 16 hex digits)',
      ],
      [
        { ...alert, startsAt: `2026-01-01T00:00:00Z${' '.repeat(10_000)}` },
        'alerts.0.startsAt: longer than 64 characters (Alertmanager sends an RFC 3339 time)',
      ],
    ] as const;
    for (const [bad, where] of cases) {
      const answer = await post({ ...fixture, alerts: [bad] });
      expect(answer.status).toBe(400);
      expect(((await answer.json()) as { error: string }).error).toBe(
        `not an Alertmanager v4 webhook: ${where} (a custom "payload" template is not supported)`,
      );
    }
  });

  it('answers 413 to a body over 1 MB, whether it is JSON or not, declared or streamed, saying to set max_alerts', async () => {
    const validJson = JSON.stringify({ ...fixture, padding: 'x'.repeat(4.5 * 1024 * 1024) });
    const streamed = new ReadableStream({
      start(controller) {
        for (let i = 0; i < 5; i++) controller.enqueue(new Uint8Array(1024 * 1024).fill(65));
        controller.close();
      },
    });
    const answers = [
      await post('x'.repeat(5 * 1024 * 1024)),
      await post('{'.repeat(60 * 1024 * 1024)),
      await post(validJson),
      await fetch(`${base}/webhooks/alertmanager`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: streamed,
        duplex: 'half',
      }),
    ];
    for (const answer of answers) {
      expect(answer.status).toBe(413);
      expect(((await answer.json()) as { error: string }).error).toMatch(
        /^the body is (\d+\.\d MB|over 1\.0 MB); at most 1\.0 MB is accepted: Alertmanager does not retry it, so these alerts are lost: set max_alerts in the webhook_configs entry for Preflight \(e\.g\. max_alerts: 100;/,
      );
    }
    expect((await fetch(`${base}/healthz`)).status).toBe(200);
  });

  it('answers 413 to an alert group announced with Expect: 100-continue over 1 MB without asking for it', async () => {
    const client = await openSlowClient(
      Number(new URL(base).port),
      'POST /webhooks/alertmanager HTTP/1.1\r\nHost: preflight\r\nContent-Type: application/json\r\nContent-Length: 5000000\r\nExpect: 100-continue\r\n\r\n',
    );
    const received = await settlesWithin(client.closed, 2_000, 'the answer to Expect: 100-continue');
    expect(received).not.toContain('100 Continue');
    expect(received).toMatch(/^HTTP\/1\.1 413 /);
    expect(received).toContain(
      '"error":"the body is 4.8 MB; at most 1.0 MB is accepted: Alertmanager does not retry it',
    );
  });

  it('answers 405 with the allowed methods to a wrong method, 404 to an unknown path, and HEAD like GET', async () => {
    const wrongMethod = await fetch(`${base}/webhooks/alertmanager`);
    expect(wrongMethod.status).toBe(405);
    expect(wrongMethod.headers.get('allow')).toBe('POST');
    expect(await wrongMethod.json()).toEqual({
      error: 'method GET not allowed on /webhooks/alertmanager; use POST',
    });
    const postToHealth = await fetch(`${base}/healthz`, { method: 'POST' });
    expect(postToHealth.status).toBe(405);
    expect(postToHealth.headers.get('allow')).toBe('GET, HEAD');
    for (const path of ['/healthz', '/readyz']) {
      const head = await fetch(`${base}${path}`, { method: 'HEAD' });
      expect(head.status).toBe(200);
      expect(await head.text()).toBe('');
    }
    const unknown = await fetch(`${base}/webhooks/nope`, { method: 'POST' });
    expect(unknown.status).toBe(404);
    expect(await unknown.json()).toEqual({
      error:
        'no route for /webhooks/nope; this server answers GET /healthz, GET /readyz, GET /metrics, POST /webhooks/alertmanager, GET /slack/events, POST /slack/events',
    });
  });

  it('answers 404 to a path kilobytes long without quoting all of it back', async () => {
    const long = `/${'a'.repeat(8000)}`;
    const answer = await fetch(`${base}${long}`);
    expect(answer.status).toBe(404);
    const { error } = (await answer.json()) as { error: string };
    expect(error).toBe(
      `no route for /${'a'.repeat(119)}… (8001 characters); this server answers GET /healthz, GET /readyz, GET /metrics, POST /webhooks/alertmanager, GET /slack/events, POST /slack/events`,
    );
  });

  it('answers 415 to an alert not sent as application/json, as a web page’s form could post it, and opens nothing', async () => {
    const body = JSON.stringify(toyDownAlert(fixture));
    const sent = [
      // What a page in someone's browser can post to the port without asking first: no preflight request.
      await fetch(`${base}/webhooks/alertmanager`, { method: 'POST', body }),
      await fetch(`${base}/webhooks/alertmanager`, { method: 'POST', body: new Blob([body]) }),
      await fetch(`${base}/webhooks/alertmanager`, {
        method: 'POST',
        headers: { 'content-type': 'application/x-www-form-urlencoded' },
        body,
      }),
    ];
    for (const answer of sent) {
      expect(answer.status).toBe(415);
      expect(await answer.json()).toEqual({
        error: expect.stringMatching(
          /^the webhook takes Content-Type: application\/json, as Alertmanager sends it \(got (text\/plain;charset=UTF-8|none|application\/x-www-form-urlencoded)\)$/,
        ),
      });
    }
    const compressed = await fetch(`${base}/webhooks/alertmanager`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'content-encoding': 'gzip' },
      body: gzipSync(body),
    });
    expect(compressed.status).toBe(415);
    expect(await compressed.json()).toEqual({
      error: 'the webhook takes an uncompressed body, as Alertmanager sends it (got Content-Encoding: gzip)',
    });
    const client = new Redis(redis.url);
    const open = await createRedisIncidentStore({ redis: client }).list({ openOnly: true, limit: 10 });
    client.disconnect();
    expect(open).toEqual([]);
    const withCharset = await fetch(`${base}/webhooks/alertmanager`, {
      method: 'POST',
      headers: { 'content-type': 'Application/JSON; charset=utf-8' },
      body: JSON.stringify(fixture),
    });
    expect(withCharset.status).toBe(200);
  });

  it('opens one incident for a critical toy alert, however often Alertmanager re-sends it', async () => {
    const toyAlert = toyDownAlert(fixture);
    const first = await post(toyAlert);
    expect(await first.json()).toEqual({ matched: 1, incidents: ['INC-1'] });
    for (let i = 0; i < 2; i++)
      expect(await (await post(toyAlert)).json()).toEqual({ matched: 1, incidents: [] });
    const client = new Redis(redis.url);
    const incident = await createRedisIncidentStore({ redis: client }).get('INC-1');
    client.disconnect();
    expect(incident).toMatchObject({
      service: 'toy',
      trigger: 'critical-alerts',
      state: 'open',
      title: 'A critical toy alert is firing: 1 firing (ToyServiceDown)',
    });
    expect(incident?.pages.map((p) => p.levelId)).toEqual(['L1']);
  });

  it('while Redis is down: /readyz 503, /metrics still answers and says so, a webhook gets 503 for Alertmanager to retry', async () => {
    const redisUp = async () =>
      /^preflight_redis_up (\S+)$/m.exec(await (await fetch(`${base}/metrics`)).text())?.[1];
    expect(await redisUp()).toBe('1');
    await redis.kill();
    try {
      const within = { signal: AbortSignal.timeout(30_000) };
      const ready = await fetch(`${base}/readyz`, within);
      expect(ready.status).toBe(503);
      const metrics = await fetch(`${base}/metrics`, within);
      expect(metrics.status).toBe(200);
      const text = await metrics.text();
      expect(text).toContain('process_cpu_user_seconds_total');
      // The one series an alert can see Redis gone by: the gauges read from Redis are left out meanwhile.
      expect(text).toMatch(/^preflight_redis_up 0$/m);
      const webhook = await fetch(`${base}/webhooks/alertmanager`, {
        ...within,
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify(fixture),
      });
      expect(webhook.status).toBe(503);
      expect(((await webhook.json()) as { error: string }).error).toMatch(/^Redis is unreachable/);
    } finally {
      await redis.restart();
    }
    // Back to 1 once Redis answers again: the alert ends when the outage does.
    await waitFor('preflight_redis_up 1', async () => (await redisUp()) === '1', 30_000);
  }, 90_000);
});
