/**
 * The bot's own server behind the ingress thread is slow, or stuck: an answer that takes seconds still reaches the
 * client whole, but one that never comes is answered 504 once the limit has passed, saying what to do, and the
 * thread lets go of its connection to the bot (said in the bot's log once).
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import { beforeAll, describe, expect, it } from 'vitest';
import { oneGateRunbook } from '../helpers/one-gate-runbook.ts';
import type { SlackHarness } from '../helpers/slack-harness.ts';
import { useSlackSuite } from '../helpers/slack-suite.ts';
import { settlesWithin } from '../helpers/slow-client.ts';

// The bot's server is given 6 s to answer a request the thread passes on (30 s in production).
const suite = useSlackSuite(oneGateRunbook('slow'), {
  ingress: true,
  httpLimits: {
    headersMs: 10_000,
    requestMs: 30_000,
    keepAliveMs: 5_000,
    maxConnections: 512,
    answerMs: 6_000,
  },
});
let h: SlackHarness;
beforeAll(() => {
  h = suite.h;
});

describe('the bot’s server slow to answer a request the ingress thread passed on', () => {
  it('passes back whole an answer that takes 4 s', async () => {
    const body = 'metric_total 1\n'.repeat(20_000);
    h.http.route('GET', '/test/slow', async (_req: IncomingMessage, res: ServerResponse) => {
      await new Promise((resolve) => setTimeout(resolve, 4_000));
      res.writeHead(200, { 'content-type': 'text/plain' });
      res.end(body);
    });
    const answer = await settlesWithin(fetch(`${h.base}/test/slow`), 5_500, 'the slow answer');
    expect(answer.status).toBe(200);
    expect(await answer.text()).toBe(body);
  });

  it('answers 504 when the bot does not answer within the limit, and lets go of the connection to it', async () => {
    let letGo: () => void = () => {};
    const closed = new Promise<void>((resolve) => {
      letGo = resolve;
    });
    h.http.route('POST', '/test/stuck', (_req: IncomingMessage, res: ServerResponse) => {
      res.once('close', () => letGo());
    });
    const started = performance.now();
    const answer = await settlesWithin(
      fetch(`${h.base}/test/stuck?token=xoxp-s3cr3t-quer7`, { method: 'POST', body: '{}' }),
      8_000,
      'the answer from a stuck bot',
    );
    expect(answer.status).toBe(504);
    expect(performance.now() - started).toBeGreaterThanOrEqual(5_900);
    expect(await answer.json()).toEqual({
      error:
        "Preflight did not answer within 6 s; it may be overloaded or stuck: send the request again later, and if this goes on, look at Preflight's log and restart it",
    });
    await settlesWithin(closed, 1_000, 'the thread letting go of its connection to the bot');
    const said = await h.waitFor('the line about the stuck bot', () =>
      h.logs.find((l) => l.includes("Preflight's own server did not answer within 6 s")),
    );
    expect(JSON.parse(said)).toMatchObject({
      level: 40,
      method: 'POST',
      path: '/test/stuck',
      answerMs: 6_000,
    });
    expect(h.logs.filter((l) => l.includes('s3cr3t'))).toEqual([]);
  });
});
