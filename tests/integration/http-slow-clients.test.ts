/**
 * A slow or hostile client (headers a byte at a time, a body that trickles, connections opened and left) is cut off
 * by Preflight's HTTP server, answered 408 and said once in the log, while other requests are served meanwhile.
 * The limits are the server's own, made small here: the tests look at what happens, not how long it takes.
 */
import { afterEach, describe, expect, it } from 'vitest';
import type { HttpLimits } from '../../src/infra/http/http-limits.ts';
import { createHttpServer, type HttpServer, readBody } from '../../src/infra/http/http-server.ts';
import { openSlowClient, settlesWithin } from '../helpers/slow-client.ts';

const LIMITS: HttpLimits = {
  headersMs: 300,
  requestMs: 600,
  keepAliveMs: 300,
  maxConnections: 50,
  answerMs: 30_000,
};
/** Far past the limits above: only a client never cut off takes this long. */
const HANG_MS = 10_000;
const TIMED_OUT = /^HTTP\/1\.1 408 Request Timeout\r\n/;

let http: HttpServer | undefined;
afterEach(async () => {
  await http?.close();
  http = undefined;
});

async function serve(limits: HttpLimits = LIMITS) {
  const lines = { warn: [] as [object, string | undefined][], error: [] as [object, string | undefined][] };
  http = createHttpServer({
    ready: async () => ({ ok: true, checks: {} }),
    metrics: async () => ({ contentType: 'text/plain', body: '' }),
    log: {
      warn: (obj, msg) => lines.warn.push([obj, msg]),
      error: (obj, msg) => lines.error.push([obj, msg]),
    },
    limits,
  });
  http.route('POST', '/webhooks/test', async (req, res) => {
    const body = await readBody(req);
    res.end(`read ${body.length} bytes`);
  });
  const port = await http.listen(0, '127.0.0.1');
  return { port, base: `http://127.0.0.1:${port}`, lines };
}

describe('slow clients', () => {
  it('cuts off headers that stall or trickle with 408, and serves another request meanwhile', async () => {
    const { port, base, lines } = await serve();
    const stalled = await openSlowClient(port, 'GET /healthz HTTP/1.1\r\nHost: preflight\r\n');
    const trickling = await openSlowClient(port, 'GET /healthz HTTP/1.1\r\nX-Slow: ');
    trickling.trickle('a', 50);
    const answer = await fetch(`${base}/healthz`);
    expect([answer.status, await answer.json()]).toEqual([200, { status: 'ok' }]);
    expect(await settlesWithin(stalled.closed, HANG_MS, 'stalled headers')).toMatch(TIMED_OUT);
    expect(await settlesWithin(trickling.closed, HANG_MS, 'trickling headers')).toMatch(TIMED_OUT);
    expect(lines.warn.map(([, msg]) => msg)).toEqual([
      'HTTP request cut off (408): its headers did not arrive within 0.3 s',
      'HTTP request cut off (408): its headers did not arrive within 0.3 s',
    ]);
    expect(lines.error).toEqual([]);
  });

  it('cuts off a body that trickles with 408, said once without its query, headers or body', async () => {
    const { port, base, lines } = await serve();
    const slow = await openSlowClient(
      port,
      'POST /webhooks/test?token=s3cret HTTP/1.1\r\nHost: preflight\r\nAuthorization: Bearer t0ken\r\n' +
        'Content-Type: application/json\r\nContent-Length: 10000\r\n\r\n{"secret":"',
    );
    slow.trickle('x', 50);
    const answer = await fetch(`${base}/webhooks/test`, { method: 'POST', body: '{"fine":true}' });
    expect(await answer.text()).toBe('read 13 bytes');
    expect(await settlesWithin(slow.closed, HANG_MS, 'trickling body')).toMatch(TIMED_OUT);
    expect(lines.warn).toEqual([
      [
        { from: '127.0.0.1', method: 'POST', path: '/webhooks/test', limitMs: 600 },
        'HTTP request cut off (408): its body did not arrive within 0.6 s',
      ],
    ]);
    expect(JSON.stringify(lines)).not.toMatch(/s3cret|t0ken|secret"/);
    // The handler that was reading the body is not a failure to report: the client was cut off.
    expect(lines.error).toEqual([]);
  });

  it('keeps at most maxConnections open: one more is closed unanswered, said once', async () => {
    // Headers given longer here, so that the idle ones are surely still open when the others come.
    const { port, base, lines } = await serve({
      ...LIMITS,
      headersMs: 2_000,
      requestMs: 2_000,
      maxConnections: 3,
    });
    const idle = await Promise.all([1, 2, 3].map(() => openSlowClient(port, '')));
    const extra = await Promise.all(
      [1, 2].map(() => openSlowClient(port, 'GET /healthz HTTP/1.1\r\nHost: preflight\r\n\r\n')),
    );
    for (const client of extra)
      expect(await settlesWithin(client.closed, HANG_MS, 'a connection past the limit')).toBe('');
    for (const client of idle)
      expect(await settlesWithin(client.closed, HANG_MS, 'an idle connection')).toMatch(TIMED_OUT);
    // The idle ones cut off, there is room again.
    expect((await fetch(`${base}/healthz`)).status).toBe(200);
    expect(lines.warn.filter(([, msg]) => msg?.startsWith('HTTP connection refused'))).toEqual([
      [
        { from: '127.0.0.1', maxConnections: 3 },
        'HTTP connection refused: 3 are open, the most Preflight keeps (said at most once a minute)',
      ],
    ]);
  });
});
