import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { postJson } from '../../src/bot/slack/post-json.ts';

let server: Server | undefined;

afterEach(async () => {
  server?.closeAllConnections();
  await new Promise((r) => server?.close(r));
  server = undefined;
});

/** A response_url that drops a kept-alive connection when it is used again, as a server closing it idle does. */
async function droppingServer(): Promise<{ url: string; answered: unknown[] }> {
  const answered: unknown[] = [];
  const used = new WeakSet<object>();
  server = createServer((req, res) => {
    if (used.has(req.socket)) {
      req.socket.destroy();
      return;
    }
    used.add(req.socket);
    let body = '';
    req.on('data', (chunk) => {
      body += String(chunk);
    });
    req.on('end', () => {
      answered.push(JSON.parse(body));
      res.writeHead(200, { 'content-type': 'text/plain' }).end('ok');
    });
  });
  await new Promise<void>((r) => server?.listen(0, '127.0.0.1', r));
  const { port } = server.address() as AddressInfo;
  return { url: `http://127.0.0.1:${port}/respond`, answered };
}

describe('answering a response_url', () => {
  it('sends an answer again on a new connection when the kept-alive one was dropped, and only then', async () => {
    const { url, answered } = await droppingServer();
    expect(await postJson(url, { text: 'first' }, 5_000)).toEqual({ status: 200 });
    expect(await postJson(url, { text: 'second' }, 5_000)).toEqual({ status: 200 });
    expect(answered).toEqual([{ text: 'first' }, { text: 'second' }]);
  });
});
