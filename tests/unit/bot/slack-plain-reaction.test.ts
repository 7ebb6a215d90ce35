/** Which reactions the ingress thread records and acknowledges itself, and which it leaves to Bolt. */
import { describe, expect, it } from 'vitest';
import { plainReaction } from '../../../src/bot/slack/slack-plain-reaction.ts';
import { eventCallback, reactionEvent, SIGNING_SECRET, signedHeaders } from '../../helpers/signed-slack.ts';

const BOT = 'U0PREFLIGHT';
const now = Date.now();
const event = {
  ...reactionEvent({
    user: 'U0BEN0001',
    channel: 'C0DEPLOY1',
    ts: '1764751234.000100',
    emoji: 'white_check_mark::skin-tone-3',
    eventTs: '1764751240.000200',
  }),
  item_user: BOT,
};
const bodyOf = (e: Record<string, unknown>) => eventCallback(e, 'Ev0PLAIN0001').body;
const read = (body: string, headers = signedHeaders({ body, contentType: 'application/json' }), bot = BOT) =>
  plainReaction(headers, body, SIGNING_SECRET, now, bot);

describe('a plain reaction', () => {
  it('is the entry Bolt’s listener records: keyed by the event id, the emoji without its skin tone, on the bot’s message', () => {
    expect(read(bodyOf(event))).toEqual({
      platform: 'slack',
      id: 'Ev0PLAIN0001',
      userId: 'U0BEN0001',
      channel: 'C0DEPLOY1',
      event: {
        type: 'reaction',
        messageId: '1764751234.000100',
        emoji: 'white_check_mark',
        added: true,
        at: 1764751240000200,
        ours: true,
      },
    });
    const removed = read(bodyOf({ ...event, type: 'reaction_removed', item_user: 'U0ANN0001' }));
    expect(removed?.event).toMatchObject({ added: false, ours: false });
  });

  it.each([
    ['a signature made with another secret', { secret: 'not-the-secret' }],
    ['a signature six minutes old', { timestamp: Math.floor(now / 1000) - 360 }],
    ['a timestamp six minutes ahead', { timestamp: Math.floor(now / 1000) + 360 }],
  ])('is not one with %s', (_what, sign) => {
    const body = bodyOf(event);
    expect(read(body, signedHeaders({ body, contentType: 'application/json' }, sign))).toBeUndefined();
  });

  it.each([
    ['made by the bot itself (Bolt ignores it)', { ...event, user: BOT }],
    ['on a file', { ...event, item: { type: 'file', file: 'F0001' } }],
    ['without its channel', { ...event, item: { type: 'message', ts: '1764751234.000100' } }],
    ['without its person', { ...event, user: undefined }],
    ['with a person that is not a string', { ...event, user: ['U0BEN0001'] }],
    ['with an emoji that is not a string', { ...event, reaction: 7 }],
    ['with item_user that is not a string', { ...event, item_user: { id: BOT } }],
    ['of another event type', { ...event, type: 'message' }],
    ['of an inherited event type', { ...event, type: 'constructor' }],
  ])('is not one %s', (_what, e) => {
    expect(read(bodyOf(e as Record<string, unknown>))).toBeUndefined();
  });

  it('is not one while the bot’s own user id is not known', () => {
    const body = bodyOf(event);
    expect(
      plainReaction(
        signedHeaders({ body, contentType: 'application/json' }),
        body,
        SIGNING_SECRET,
        now,
        undefined,
      ),
    ).toBeUndefined();
  });

  it.each([
    ['not JSON', '{"type":"event_callback",'],
    ['JSON null', 'null'],
    ['without its event id', JSON.stringify({ ...JSON.parse(bodyOf(event)), event_id: undefined })],
    [
      'a callback of another type',
      JSON.stringify({ ...JSON.parse(bodyOf(event)), type: 'url_verification' }),
    ],
  ])('is not a body that is %s', (_what, body) => {
    expect(read(body)).toBeUndefined();
  });

  it('is not one sent as a form or with a charset (Bolt reads those)', () => {
    const body = bodyOf(event);
    for (const contentType of ['application/x-www-form-urlencoded', 'application/json; charset=utf-8'])
      expect(
        read(body, { ...signedHeaders({ body, contentType }), 'content-type': contentType }),
      ).toBeUndefined();
  });
});
