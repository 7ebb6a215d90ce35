/**
 * POST /slack/events is served by Bolt's receiver on Preflight's own HTTP server, so it is within the same limits: a
 * signed Slack request whose body trickles is cut off with 408 and said once in the log (no signature, no body),
 * while a person's slash command meanwhile is answered as ever.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { DEPLOY_CHANNEL } from '../helpers/fake-slack-api.ts';
import { signedHeaders, slashCommand } from '../helpers/signed-slack.ts';
import type { SlackHarness } from '../helpers/slack-harness.ts';
import { useSlackSandbox } from '../helpers/slack-sandbox.ts';
import { openSlowClient, settlesWithin } from '../helpers/slow-client.ts';

const harness = useSlackSandbox({
  httpLimits: {
    headersMs: 1_000,
    requestMs: 1_500,
    keepAliveMs: 1_000,
    maxConnections: 50,
    answerMs: 30_000,
  },
});
let h: SlackHarness;
beforeAll(() => {
  h = harness();
});

describe('a slow client on POST /slack/events', () => {
  it('is cut off with 408 and said once, while a slash command meanwhile is answered', async () => {
    const request = slashCommand({
      user: 'U0ALICE01',
      command: '/deploy',
      text: 'status',
      channel: DEPLOY_CHANNEL,
      responseUrl: h.fake.responseUrl('slow'),
      triggerId: 'trigger-slow',
    });
    const headers = signedHeaders(request);
    const head = Object.entries({
      ...headers,
      host: 'preflight',
      'content-length': request.body.length + 10_000,
    })
      .map(([name, value]) => `${name}: ${value}\r\n`)
      .join('');
    const port = Number(new URL(h.base).port);
    const slow = await openSlowClient(port, `POST /slack/events HTTP/1.1\r\n${head}\r\n${request.body}`);
    slow.trickle('&', 50);

    const answer = await h.command('U0BOB0001', '/deploy status');
    expect(answer.status).toBe(200);
    expect(await settlesWithin(slow.closed, 10_000, 'a trickling Slack request')).toMatch(
      /^HTTP\/1\.1 408 Request Timeout\r\n/,
    );

    const cutOff = h.logs.filter((line) => line.includes('HTTP request cut off'));
    expect(cutOff.map((line) => JSON.parse(line) as Record<string, unknown>)).toEqual([
      expect.objectContaining({ level: 40, method: 'POST', path: '/slack/events', limitMs: 1_500 }),
    ]);
    const said = h.logs.join('');
    expect(said).not.toContain(headers['x-slack-signature']);
    expect(said).not.toContain('trigger-slow');
    expect(said).not.toContain('http handler failed');
  });
});
