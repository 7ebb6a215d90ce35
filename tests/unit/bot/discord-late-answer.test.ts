/** What a person reads when Discord no longer takes the answer to their interaction: what it answers, and why. */
import { describe, expect, it } from 'vitest';
import { lateAnswerText } from '../../../src/bot/discord/discord-late-answer.ts';
import { type InboxEntry, plainLiterals } from '../../../src/core/index.ts';

const entry = (event: InboxEntry['event']): InboxEntry => ({
  platform: 'discord',
  id: 'interaction:1',
  userId: '2',
  channel: '3',
  event,
  replyTo: 'token',
});

describe('a late answer on Discord', () => {
  it('names the command as typed, without the end of options, when its acknowledgement was missed', () => {
    const text = lateAnswerText(
      entry({ type: 'command', text: '/deploy start -- svc v1.0.0' }),
      'Starting svc-1',
      'missed',
    );
    expect(plainLiterals(text)).toBe(
      '⚠️ Discord showed you “This interaction failed” for /deploy start svc v1.0.0, but Preflight had recorded it, and this is what came of it (no need to do it again): Starting svc-1',
    );
  });

  it('names the button and says the 15 minutes passed when the token expired', () => {
    const text = lateAnswerText(
      entry({ type: 'button', action: 'incident.ack', value: 'INC-1' }),
      'acknowledged',
      'expired',
    );
    expect(text).toBe(
      "⚠️ Preflight's answer to your click on Acknowledge comes after the 15 minutes in which Discord takes one, and this is what came of it (no need to do it again): acknowledged",
    );
  });

  it('names a decision button and an emergency button by the words they show', () => {
    const said = (action: 'decide' | 'incident.emergency', value: string) =>
      lateAnswerText(entry({ type: 'button', action, value }), 'done', 'missed');
    expect(said('decide', 'svc-1:skip:1764751234567')).toContain('for your click on Skip,');
    expect(said('decide', 'svc-1:rollback:1764751234567')).toContain('for your click on Roll back,');
    expect(said('incident.emergency', 'INC-1:stop')).toContain('for your click on Emergency stop,');
    expect(said('incident.emergency', 'INC-1:logs')).toContain('for your click on Emergency logs,');
  });
});
