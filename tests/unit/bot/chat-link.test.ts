import { expect, it } from 'vitest';
import { createChatLinkTracker, judgeLink, LINK_DOWN_GRACE_MS } from '../../../src/bot/chat-link.ts';

it('counts a link down for longer than a reconnect takes as not ready, and says for how long and why', () => {
  let now = 1_000_000;
  const link = createChatLinkTracker(() => now);
  expect(judgeLink(link.state(), now)).toEqual({ ok: true, text: 'down for 0 s: connecting; reconnecting' });
  link.up('socket connected');
  now += 3_600_000;
  expect(judgeLink(link.state(), now)).toEqual({ ok: true, text: 'socket connected' });

  link.down('the WebSocket closed');
  now += 5_000;
  // A later failure keeps the time it went down, and gives the newest reason.
  link.down('An HTTP protocol error occurred: statusCode = 500');
  expect(judgeLink(link.state(), now)).toEqual({
    ok: true,
    text: 'down for 5 s: An HTTP protocol error occurred: statusCode = 500; reconnecting',
  });
  now += LINK_DOWN_GRACE_MS;
  expect(judgeLink(link.state(), now)).toEqual({
    ok: false,
    text: 'down for 65 s: An HTTP protocol error occurred: statusCode = 500; reconnecting',
  });
  link.up('socket connected');
  expect(judgeLink(link.state(), now)).toEqual({ ok: true, text: 'socket connected' });
});
