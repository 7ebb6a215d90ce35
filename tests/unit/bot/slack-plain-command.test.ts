/** Which Slack requests the ingress thread records and acknowledges itself, and which it leaves to Bolt. */
import { describe, expect, it } from 'vitest';
import { plainSlashCommand } from '../../../src/bot/slack/slack-plain-command.ts';
import { SIGNING_SECRET, signedHeaders, slashCommand } from '../../helpers/signed-slack.ts';

const command = slashCommand({
  user: 'U0ANN0001',
  command: '/deploy',
  text: 'start shop v1.2.0 &lt;now&gt;',
  channel: 'C0DEPLOY1',
  responseUrl: 'https://hooks.slack.test/commands/1',
  triggerId: 'trigger-1',
});
const now = Date.now();
const read = (body: string, headers = signedHeaders({ ...command, body })) =>
  plainSlashCommand(headers, body, SIGNING_SECRET, now);

describe('a plain slash command', () => {
  it('is a signed form with every field the command listener reads', () => {
    expect(read(command.body)).toEqual({
      command: '/deploy',
      text: 'start shop v1.2.0 &lt;now&gt;',
      trigger_id: 'trigger-1',
      user_id: 'U0ANN0001',
      channel_id: 'C0DEPLOY1',
      response_url: 'https://hooks.slack.test/commands/1',
    });
  });

  it.each([
    ['a signature made with another secret', command.body, { secret: 'not-the-secret' }],
    ['a signature six minutes old', command.body, { timestamp: Math.floor(now / 1000) - 360 }],
    ['a timestamp six minutes ahead', command.body, { timestamp: Math.floor(now / 1000) + 360 }],
  ])('is not one with %s', (_what, body, sign) => {
    expect(read(body, signedHeaders({ ...command, body }, sign))).toBeUndefined();
  });

  it.each([
    ['a field sent twice', `${command.body}&command=%2Frollback`],
    ['no response_url', command.body.replace(/&?response_url=[^&]*/, '')],
    ['no text', command.body.replace(/&?text=[^&]*/, '')],
    ['an empty user id', command.body.replace(/user_id=[^&]*/, 'user_id=')],
    [
      'a command name that is not a /word',
      command.body.replace('command=%2Fdeploy', 'command=%2Fd%C3%A9ployer'),
    ],
    ['an ssl_check', `${command.body}&ssl_check=1`],
    ['an interaction payload', `${command.body}&payload=%7B%7D`],
  ])('is not a form with %s (Bolt answers it)', (_what, body) => {
    expect(read(body)).toBeUndefined();
  });

  it('is not a body sent as another content type', () => {
    const headers = { ...signedHeaders(command), 'content-type': 'application/json' };
    expect(read(command.body, headers)).toBeUndefined();
  });
});
