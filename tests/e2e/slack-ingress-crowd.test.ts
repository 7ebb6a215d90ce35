/**
 * The ingress thread before the bot's server under a crowd: one connection pipelining a thousand requests, or
 * clients sending their bodies a byte at a time. The thread passes requests on over a few connections of its own,
 * each only while the bot answers, so every request gets the bot's answer (never a 503 for connections the bot's
 * server refused or had just closed) and a health check or a Slack event is not kept waiting behind slow clients.
 */
import { connect } from 'node:net';
import { beforeAll, describe, expect, it } from 'vitest';
import { DEPLOY_CHANNEL } from '../helpers/fake-slack-api.ts';
import { BEN, oneGateRunbook } from '../helpers/one-gate-runbook.ts';
import { eventCallback, postToSlackEndpoint, reactionEvent } from '../helpers/signed-slack.ts';
import type { SlackHarness } from '../helpers/slack-harness.ts';
import { useSlackSuite } from '../helpers/slack-suite.ts';
import { openSlowClient, settlesWithin } from '../helpers/slow-client.ts';

// The thread takes 240 connections, and passes requests on over 30 for Slack's and 30 for the rest; the bot's
// server closes a connection idle for 3 s (keepAliveMs and Node's second more).
const suite = useSlackSuite(oneGateRunbook('crowd'), {
  ingress: true,
  httpLimits: {
    headersMs: 2_000,
    requestMs: 4_000,
    keepAliveMs: 2_000,
    maxConnections: 240,
    answerMs: 30_000,
  },
});
let h: SlackHarness;
beforeAll(() => {
  h = suite.h;
});
const port = () => Number(new URL(h.base).port);

describe('the ingress thread under a crowd', () => {
  it('answers each of a thousand requests pipelined on one connection as the bot does, none with 503', async () => {
    const n = 1_000;
    const one = (last: boolean) =>
      `GET /healthz HTTP/1.1\r\nHost: preflight\r\n${last ? 'Connection: close\r\n' : ''}\r\n`;
    const received = await new Promise<string>((resolve, reject) => {
      const socket = connect(port(), '127.0.0.1');
      let text = '';
      socket.on('data', (chunk: Buffer) => {
        text += chunk.toString('utf8');
      });
      socket.once('error', reject);
      socket.once('close', () => resolve(text));
      socket.once('connect', () =>
        socket.write(Array.from({ length: n }, (_, i) => one(i === n - 1)).join('')),
      );
    });
    const statuses = [...received.matchAll(/^HTTP\/1\.1 (\d{3})/gm)].map((m) => m[1]);
    expect(statuses).toHaveLength(n);
    expect(statuses.filter((s) => s !== '200')).toEqual([]);
    expect(h.logs.filter((l) => l.includes('HTTP connection refused'))).toEqual([]);
  });

  it('answers a health check and a Slack event at once while 30 clients trickle their bodies', async () => {
    const slow = await Promise.all(
      Array.from({ length: 30 }, (_, i) =>
        openSlowClient(
          port(),
          `POST /webhooks/alertmanager?i=${i} HTTP/1.1\r\nHost: preflight\r\nContent-Type: application/json\r\nContent-Length: 100\r\n\r\n{`,
        ),
      ),
    );
    for (const client of slow) client.trickle(' ', 200);
    try {
      await new Promise((resolve) => setTimeout(resolve, 300));
      const health = await settlesWithin(fetch(`${h.base}/healthz`), 1_000, 'GET /healthz');
      expect(health.status).toBe(200);
      const event = eventCallback(
        reactionEvent({ user: BEN, channel: DEPLOY_CHANNEL, ts: '1.000001', emoji: 'eyes' }),
        'Ev0CROWD0001',
      );
      const answer = await settlesWithin(
        postToSlackEndpoint(`${h.base}/slack/events`, event),
        1_000,
        'the event',
      );
      expect(answer.status).toBe(200);
    } finally {
      for (const client of slow) client.socket.destroy();
    }
  });

  it('answers a request that comes as the bot’s server closes an idle connection the thread would reuse', async () => {
    // Answers after ?ms=…: thirty requests at once, answered 1 ms apart, leave thirty connections to the bot's
    // server that fell idle 1 ms apart.
    h.http.route('GET', '/test/answer-after', async (req, res) => {
      const ms = Number(new URL(req.url ?? '/', 'http://x').searchParams.get('ms'));
      await new Promise((resolve) => setTimeout(resolve, ms));
      res.writeHead(200);
      res.end();
    });
    const answeredAfter = (ms: number) =>
      fetch(`${h.base}/test/answer-after?ms=${ms}`, { headers: { connection: 'close' } }).then(
        (r) => r.status,
        () => 0,
      );
    const statuses: number[] = [];
    for (let round = 0; round < 2; round++) {
      const started = performance.now();
      await Promise.all(Array.from({ length: 30 }, (_, i) => answeredAfter(100 + i)));
      // Thirty at once, when those connections have been idle from 2,985 to 3,014 ms: some as that server
      // closes them (3 s: keepAliveMs and Node's second more).
      await new Promise((resolve) => setTimeout(resolve, started + 100 + 3_014 - performance.now()));
      statuses.push(...(await Promise.all(Array.from({ length: 30 }, () => answeredAfter(0)))));
    }
    expect(statuses.filter((s) => s !== 200)).toEqual([]);
  });

  it('answers 413 to a body announced with Expect: 100-continue over 1 MB without asking for it', async () => {
    const client = await openSlowClient(
      port(),
      'POST /slack/events HTTP/1.1\r\nHost: preflight\r\nContent-Type: application/json\r\nContent-Length: 5000000\r\nExpect: 100-continue\r\n\r\n',
    );
    const received = await settlesWithin(client.closed, 2_000, 'the answer to Expect: 100-continue');
    expect(received).not.toContain('100 Continue');
    expect(received).toMatch(/^HTTP\/1\.1 413 /);
    expect(received).toContain('{"error":"the body is 4.8 MB; at most 1.0 MB is accepted"}');
  });

  it('asks for a body announced with Expect: 100-continue within 1 MB, and passes it on', async () => {
    const client = await openSlowClient(
      port(),
      'GET /healthz HTTP/1.1\r\nHost: preflight\r\nContent-Length: 2\r\nExpect: 100-continue\r\nConnection: close\r\n\r\n',
    );
    await h.waitFor('100 Continue', () => client.received().startsWith('HTTP/1.1 100 Continue'));
    client.socket.write('{}');
    const received = await settlesWithin(client.closed, 2_000, 'the answer after the body');
    expect(received).toMatch(/^HTTP\/1\.1 100 Continue\r\n\r\nHTTP\/1\.1 200 OK\r\n/);
    expect(received).toContain('{"status":"ok"}');
  });
});
