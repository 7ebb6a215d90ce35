/**
 * Slack refuses the bot token for a while (an auth blip on Slack's side, or a revoked token being replaced): the
 * deployment's thread and its gate prompt wait and go out, once each and in order, when Slack takes the token
 * again, and the ✅ on that prompt approves. Meanwhile the log says what to check.
 */
import { expect, it } from 'vitest';
import { DEPLOY_CHANNEL } from '../helpers/fake-slack-api.ts';
import { ANN, BEN, oneGateRunbook } from '../helpers/one-gate-runbook.ts';
import { useSlackSuite } from '../helpers/slack-suite.ts';

const s = useSlackSuite(oneGateRunbook('svc'));

it('holds the thread and the gate prompt while Slack refuses the token, and posts them once it takes it', async () => {
  const { h } = s;
  h.fake.fail('chat.postMessage', { error: 'token_revoked' }, 3);
  expect((await h.command(ANN, '/deploy start svc v1.0.0')).status).toBe(200);

  const gate = await h.waitFor('the gate prompt', () =>
    h.fake.messages.find((m) => m.channel === DEPLOY_CHANNEL && m.text.includes('*Go* gate')),
  );
  const posted = h.fake.messages
    .filter((m) => m.channel === DEPLOY_CHANNEL)
    .map((m) => m.text.split('\n')[0]);
  expect(posted).toEqual([
    '⏳ *svc v1.0.0 → production* (svc-1): waiting for approvals',
    '🔐 *Go* gate: 0 of 1 approvals',
  ]);
  expect(h.logs.join('')).toContain(
    'Slack answered token_revoked; the bot token was refused: check SLACK_BOT_TOKEN and that the app is still installed',
  );

  expect((await h.react(BEN, gate, 'white_check_mark')).status).toBe(200);
  const done = await h.waitForState('svc-1', ['succeeded']);
  expect(done.gates.map((g) => [g.id, g.status])).toEqual([['go', 'approved']]);
});
