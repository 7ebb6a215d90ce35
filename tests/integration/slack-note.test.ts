/**
 * A note to a response_url is posted again while Slack answers 429 or 5xx, a bounded number of times, and never
 * after Slack took it or refused it for good (expired, used up).
 */
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, expect, it } from 'vitest';
import { NOTE_TRIES, sendNote } from '../../src/bot/slack/slack-note.ts';

let server: Server | undefined;

afterEach(async () => {
  server?.closeAllConnections();
  await new Promise((r) => server?.close(r));
  server = undefined;
});

/** A response_url answering `statuses` in turn (the last one from then on); returns the bodies it was sent. */
async function answering(statuses: readonly number[]): Promise<{ url: string; posts: unknown[] }> {
  const posts: unknown[] = [];
  server = createServer((req, res) => {
    let body = '';
    req.on('data', (chunk) => {
      body += String(chunk);
    });
    req.on('end', () => {
      posts.push(JSON.parse(body));
      const status = statuses[Math.min(posts.length, statuses.length) - 1] ?? 200;
      res.writeHead(status, status === 429 ? { 'retry-after': '0' } : {}).end(status === 200 ? 'ok' : 'no');
    });
  });
  await new Promise<void>((r) => server?.listen(0, '127.0.0.1', r));
  return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/respond`, posts };
}

it('posts a note again after a 429 and a 500, and stops once Slack took it', async () => {
  const { url, posts } = await answering([429, 500, 200]);
  await sendNote(url, { text: 'note' });
  expect(posts).toEqual([{ text: 'note' }, { text: 'note' }, { text: 'note' }]);
});

it('gives a note up after a bounded number of posts while Slack keeps failing it', async () => {
  const { url, posts } = await answering([429]);
  await expect(sendNote(url, { text: 'note' })).rejects.toThrow(
    `the response_url answered 429 (try ${NOTE_TRIES} of ${NOTE_TRIES})`,
  );
  expect(posts).toHaveLength(NOTE_TRIES);
});

it('does not post a note again that the response_url refuses for good', async () => {
  const { url, posts } = await answering([404]);
  await expect(sendNote(url, { text: 'note' })).rejects.toThrow('the response_url answered 404');
  expect(posts).toHaveLength(1);
});
