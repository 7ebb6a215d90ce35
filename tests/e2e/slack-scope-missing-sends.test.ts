/**
 * The Slack app lacks a scope Preflight posts with (chat:write taken off, or never granted): the deployment's thread
 * and its gate prompt wait, rather than being dropped for good, while the log and /readyz say which scope to add;
 * once it is added they go out, once each and in order, and the ✅ on the prompt approves.
 */
import { expect, it } from 'vitest';
import { DEPLOY_CHANNEL } from '../helpers/fake-slack-api.ts';
import { ANN, BEN, oneGateRunbook } from '../helpers/one-gate-runbook.ts';
import { useSlackSuite } from '../helpers/slack-suite.ts';

const s = useSlackSuite(oneGateRunbook('svc'));

const SAID =
  'Slack answered missing_scope; the app lacks the chat:write scope: add it under OAuth & Permissions → Bot Token Scopes';

it('holds the thread and the gate prompt while the app lacks chat:write, says which scope to add, and posts them once added', async () => {
  const { h } = s;
  h.fake.fail('chat.postMessage', { error: 'missing_scope', needed: 'chat:write' }, 1_000);
  expect((await h.command(ANN, '/deploy start svc v1.0.0')).status).toBe(200);

  // What /readyz shows under slack-sends.
  const ready = await h.waitFor('/readyz to say which scope to add', () =>
    h.preflight.chat.sends.failing(Date.now())['slack-sends']?.includes('missing_scope')
      ? h.preflight.chat.sends.failing(Date.now())['slack-sends']
      : undefined,
  );
  expect(ready).toContain(SAID);
  expect(h.logs.join('')).toContain(SAID);
  expect(h.fake.messages.filter((m) => m.channel === DEPLOY_CHANNEL)).toEqual([]);

  // Someone adds the scope and reinstalls the app.
  h.fake.heal('chat.postMessage');
  const gate = await h.waitFor(
    'the gate prompt',
    () => h.fake.messages.find((m) => m.channel === DEPLOY_CHANNEL && m.text.includes('*Go* gate')),
    60_000,
  );
  const posted = h.fake.messages
    .filter((m) => m.channel === DEPLOY_CHANNEL)
    .map((m) => m.text.split('\n')[0]);
  expect(posted).toEqual([
    '⏳ *svc v1.0.0 → production* (svc-1): waiting for approvals',
    '🔐 *Go* gate: 0 of 1 approvals',
  ]);
  expect((await h.react(BEN, gate, 'white_check_mark')).status).toBe(200);
  const done = await h.waitForState('svc-1', ['succeeded']);
  expect(done.gates.map((g) => [g.id, g.status])).toEqual([['go', 'approved']]);
  expect(h.preflight.chat.sends.failing(Date.now())['slack-sends']).toBeUndefined();
}, 90_000);
