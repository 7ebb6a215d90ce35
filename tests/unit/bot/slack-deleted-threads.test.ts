import { describe, expect, it } from 'vitest';
import { deletedFirstMessage, deletedMessage } from '../../../src/bot/slack/slack-deleted-threads.ts';
import { deletionEvent } from '../../helpers/signed-slack.ts';

const channel = 'C0INCIDNT1';

describe("the deleted first message Slack's message events tell of", () => {
  it('is the tombstone of one with replies, or the deleted_ts of one without', () => {
    expect(deletedFirstMessage(deletionEvent({ channel, ts: '1.000100', text: 'INC-1', replies: 3 }))).toBe(
      '1.000100',
    );
    expect(deletedFirstMessage(deletionEvent({ channel, ts: '1.000200', text: 'INC-2', replies: 0 }))).toBe(
      '1.000200',
    );
  });

  it('is none for a deleted reply, an edit, or a message', () => {
    const reply = deletionEvent({ channel, ts: '1.000300', threadTs: '1.000100', text: 'L1', replies: 0 });
    expect(deletedFirstMessage(reply)).toBeUndefined();
    const edit = {
      subtype: 'message_changed',
      message: { ts: '1.000100' },
      previous_message: { ts: '1.000100' },
    };
    expect(deletedFirstMessage(edit)).toBeUndefined();
    expect(deletedFirstMessage({})).toBeUndefined();
  });
});

describe("the deleted message Slack's message events tell of", () => {
  it('is a first message or a reply (a prompt in a thread), never an edit or a message', () => {
    const reply = deletionEvent({
      channel,
      ts: '1.000300',
      threadTs: '1.000100',
      text: 'Go gate',
      replies: 0,
    });
    expect(deletedMessage(reply)).toBe('1.000300');
    expect(deletedMessage(deletionEvent({ channel, ts: '1.000100', text: 'INC-1', replies: 3 }))).toBe(
      '1.000100',
    );
    const edit = {
      subtype: 'message_changed',
      message: { ts: '1.000100' },
      previous_message: { ts: '1.000100' },
    };
    expect(deletedMessage(edit)).toBeUndefined();
    expect(deletedMessage({})).toBeUndefined();
  });
});
