/** The hostile requests: Slack payloads to the real Bolt receiver, HTTP requests and Alertmanager payloads. */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { repoRoot } from '../helpers/load-runbook.ts';
import { FORM, type SlackRequest, slashCommand } from '../helpers/signed-slack.ts';
import type { startSlackHarness } from '../helpers/slack-harness.ts';
import { STACK } from './hostile-inputs.ts';

/** Records one input's outcome: undefined when it was answered well. */
export type RecordOutcome = (category: string, what: string, problem: string | undefined) => void;

type Harness = Awaited<ReturnType<typeof startSlackHarness>>;

/** Unsigned, stale, forged, malformed, oversized and unknown Slack requests. */
export async function slackRequests(h: Harness, record: RecordOutcome): Promise<void> {
  const now = Math.floor(Date.now() / 1000);
  const command = slashCommand({
    user: 'U0ALICE01',
    command: '/deploy',
    text: 'status',
    channel: 'C0DEPLOYS',
  } as never);
  const json = (value: unknown): SlackRequest => ({
    body: JSON.stringify(value),
    contentType: 'application/json',
  });
  const cases: [string, SlackRequest, Parameters<Harness['send']>[1], number[]][] = [
    ['unsigned', command, { signature: '' }, [401]],
    ['a forged signature', command, { signature: `v0=${'0'.repeat(64)}` }, [401]],
    ['signed with another secret', command, { secret: 'not-the-secret' }, [401]],
    ['stale by 10 minutes', command, { timestamp: now - 600 }, [401]],
    ['from the future', command, { timestamp: now + 600 }, [401]],
    ['a timestamp that is not a number', command, { timestamp: Number.NaN }, [401]],
    [
      'malformed JSON',
      { body: '{"type": "event_callback", ', contentType: 'application/json' },
      {},
      [400, 401],
    ],
    ['an empty body', { body: '', contentType: 'application/json' }, {}, [400, 401]],
    ['a form without payload', { body: 'foo=bar', contentType: FORM }, {}, [200, 400, 401, 404]],
    ['a form whose payload is not JSON', { body: 'payload=%7Bnope', contentType: FORM }, {}, [400, 401]],
    ['an unknown top-level type', json({ type: 'weird_type', token: 'x' }), {}, [200, 400, 401, 404]],
    [
      'an unknown event type',
      json({ type: 'event_callback', event_id: 'Ev1', event: { type: 'weird' } }),
      {},
      [200],
    ],
    ['an event without event', json({ type: 'event_callback', event_id: 'Ev2' }), {}, [200, 400, 404]],
    [
      'a reaction on no message',
      json({
        type: 'event_callback',
        event_id: 'Ev3',
        event: {
          type: 'reaction_added',
          user: 'U0ALICE01',
          reaction: 'white_check_mark',
          item: { type: 'message', channel: 'C0NOPE', ts: '1.2' },
        },
      }),
      {},
      [200],
    ],
    ['url_verification', json({ type: 'url_verification', challenge: 'abc', token: 'x' }), {}, [200]],
    [
      'a 2 MB body',
      { body: `payload=${'x'.repeat(2 * 1024 * 1024)}`, contentType: FORM },
      {},
      [400, 401, 413],
    ],
    ['text/plain', { body: 'hello', contentType: 'text/plain' }, {}, [400, 401, 415]],
    [
      'an unknown slash command',
      slashCommand({ user: 'U0ALICE01', command: '/frobnicate', text: '', channel: 'C0DEPLOYS' } as never),
      {},
      [200],
    ],
    [
      'a block action with an unknown action',
      {
        body: `payload=${encodeURIComponent(JSON.stringify({ type: 'block_actions', user: { id: 'U0ALICE01' }, actions: [{ action_id: 'nope', value: '{' }], container: {}, channel: { id: 'C0DEPLOYS' } }))}`,
        contentType: FORM,
      },
      {},
      // Bolt answers 404 to what no listener takes (after its 3 s wait); nothing changes (see the report).
      [200, 404],
    ],
  ];
  for (const [what, request, options, statuses] of cases) {
    try {
      const answer = await h.send(request, options);
      const problem = !statuses.includes(answer.status)
        ? `answered ${answer.status} (${answer.body.slice(0, 100)}), expected ${statuses.join('/')}`
        : STACK.test(answer.body)
          ? `a stack trace in the answer: ${answer.body.slice(0, 160)}`
          : undefined;
      record('slack', what, problem);
    } catch (error) {
      record('slack', what, `threw ${(error as Error).message}`);
    }
  }
}

/** Oversized bodies (413), wrong methods (405), unknown paths (404), malformed Alertmanager payloads. */
export async function httpRequests(base: string, record: RecordOutcome): Promise<void> {
  const fixture = JSON.parse(
    readFileSync(join(repoRoot, 'tests/fixtures/alertmanager/webhook-v4-firing.json'), 'utf8'),
  ) as Record<string, unknown>;
  const post = (body: string | ReadableStream, path = '/webhooks/alertmanager', method = 'POST') =>
    fetch(`${base}${path}`, {
      method,
      headers: { 'content-type': 'application/json' },
      body,
      ...(typeof body !== 'string' && { duplex: 'half' }),
    } as RequestInit);
  const cases: [string, () => Promise<Response>, number[], RegExp?][] = [
    ['a 2 MB body', () => post('x'.repeat(2 * 1024 * 1024)), [413], /the body is .* at most 1\.0 MB/],
    ['a 5 MB body', () => post('x'.repeat(5 * 1024 * 1024)), [413], /the body is 5\.0 MB/],
    ['a 60 MB body', () => post('{'.repeat(60 * 1024 * 1024)), [413], /the body is 60\.0 MB/],
    [
      'a valid 4.5 MB JSON',
      () => post(JSON.stringify({ ...fixture, pad: 'x'.repeat(4.5 * 1024 * 1024) })),
      [413],
      /4\.5 MB/,
    ],
    [
      'a streamed 3 MB body',
      () =>
        post(
          new ReadableStream({
            start(c) {
              for (let i = 0; i < 3; i++) c.enqueue(new Uint8Array(1048576));
              c.close();
            },
          }),
        ),
      [413],
      /over 1\.0 MB/,
    ],
    ['not JSON', () => post('{oops'), [400], /not JSON/],
    [
      'JSON sent as text/plain, as a web page can post it',
      () => fetch(`${base}/webhooks/alertmanager`, { method: 'POST', body: JSON.stringify(fixture) }),
      [415],
      /Content-Type: application\/json/,
    ],
    ['JSON null', () => post('null'), [400]],
    ['a JSON string', () => post('"hi"'), [400]],
    ['version 3', () => post(JSON.stringify({ ...fixture, version: '3' })), [400], /version/],
    ['alerts not a list', () => post(JSON.stringify({ ...fixture, alerts: 'x' })), [400], /alerts/],
    ['alerts of numbers', () => post(JSON.stringify({ ...fixture, alerts: [1, 2] })), [400], /alerts/],
    [
      'labels null',
      () => post(JSON.stringify({ ...fixture, alerts: [{ status: 'firing', labels: null }] })),
      [400],
    ],
    ['no groupKey', () => post(JSON.stringify({ ...fixture, groupKey: undefined })), [400], /groupKey/],
    ['a weird status', () => post(JSON.stringify({ ...fixture, status: 'exploding' })), [400], /status/],
    [
      '10,000 alerts',
      () =>
        post(
          JSON.stringify({
            ...fixture,
            alerts: Array.from({ length: 10000 }, () => ({
              status: 'firing',
              labels: { a: 'b' },
              annotations: {},
            })),
          }),
        ),
      [200, 400, 413],
    ],
    [
      'an injection label',
      () =>
        post(
          JSON.stringify({
            ...fixture,
            alerts: [
              {
                status: 'firing',
                labels: { alertname: '<!channel> $(id)', service: 'toy', severity: 'critical' },
                annotations: {},
              },
            ],
          }),
        ),
      [200, 400],
    ],
  ];
  for (const method of ['GET', 'PUT', 'DELETE', 'PATCH'])
    cases.push([
      `${method} the webhook`,
      () => fetch(`${base}/webhooks/alertmanager`, { method }),
      [405],
      /not allowed/,
    ]);
  for (const path of ['/healthz', '/readyz', '/metrics'])
    cases.push([`POST ${path}`, () => post('{}', path), [405], /not allowed/]);
  for (const path of [
    '/',
    '/admin',
    '/webhooks/alertmanager/extra',
    '/%00',
    `/${'a'.repeat(5000)}`,
    '/slack/../healthz2',
    '/webhooks',
  ])
    cases.push([`unknown path ${path.slice(0, 30)}`, () => fetch(`${base}${path}`), [404], /no route/]);
  for (const [what, call, statuses, expect] of cases) {
    try {
      const answer = await call();
      const body = await answer.text();
      const problem = !statuses.includes(answer.status)
        ? `answered ${answer.status} (${body.slice(0, 100)}), expected ${statuses.join('/')}`
        : ((STACK.test(body) || /internal error/.test(body)
            ? `unhelpful: ${body.slice(0, 160)}`
            : undefined) ??
          (expect && !expect.test(body) ? `expected ${expect}: ${body.slice(0, 160)}` : undefined));
      record('http', what, problem);
    } catch (error) {
      record('http', what, `threw ${(error as Error).message}`);
    }
  }
}
