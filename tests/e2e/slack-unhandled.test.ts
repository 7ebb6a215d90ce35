/**
 * Over HTTP, what no listener takes (a shortcut, a closed form, a command whose name is not a plain word) is answered
 * 200 at once, not left to Bolt's 404 after 3 s (Slack then shows the person an error); the person who is waiting is
 * told, only them, that nothing was done and what to use, and the log says what came.
 */
import { beforeAll, expect, it } from 'vitest';
import { ANN, oneGateRunbook } from '../helpers/one-gate-runbook.ts';
import { FORM } from '../helpers/signed-slack.ts';
import type { SlackHarness } from '../helpers/slack-harness.ts';
import { useSlackSuite } from '../helpers/slack-suite.ts';
import {
  commandNamed,
  globalShortcut,
  interactive,
  messageShortcut,
  viewClosed,
} from '../helpers/unhandled-slack.ts';

const suite = useSlackSuite(oneGateRunbook('unhandled'));
let h: SlackHarness;
beforeAll(() => {
  h = suite.h;
});

it('answers a command whose name is not a plain word at once, telling the person to use /deploy help', async () => {
  const fields = commandNamed('/déployer', ANN, h.fake.responseUrl('accented'));
  const answer = await h.send({ body: new URLSearchParams(fields).toString(), contentType: FORM });
  expect(answer.status).toBe(200);
  expect(JSON.parse(answer.body)).toEqual({
    response_type: 'ephemeral',
    text: '⚠️ Preflight does not understand the command /déployer; nothing was done; use `/deploy help` to see what it does',
  });
  expect(await h.preflight.engine.store.get('unhandled-1')).toBeUndefined();
  expect(h.logs.join('')).toContain('Slack command not understood');
});

it('answers a global shortcut at once and tells the person in a direct message', async () => {
  const answer = await h.send(interactive(globalShortcut(ANN)));
  expect(answer.status).toBe(200);
  const told = await h.waitFor('the direct message', () =>
    h.fake.messages.find((m) => m.channel.startsWith('D') && m.text.includes('open_deploy_form')),
  );
  expect(told.text).toBe(
    '⚠️ Preflight does not understand the shortcut open_deploy_form; nothing was done; use `/deploy help` to see what it does',
  );
  expect(h.logs.join('')).toContain('Slack shortcut Preflight does not have');
});

it('answers a message shortcut at once and tells the person only, in the channel', async () => {
  const answer = await h.send(interactive(messageShortcut(ANN, h.fake.responseUrl('message-shortcut'))));
  expect(answer.status).toBe(200);
  const told = await h.waitFor('the answer', () =>
    h.fake.responses.find((r) => r.tag === 'message-shortcut'),
  );
  expect(told.body).toMatchObject({
    response_type: 'ephemeral',
    text: '⚠️ Preflight does not understand the shortcut approve_from_message; nothing was done; use `/deploy help` to see what it does',
  });
});

it('answers a closed form at once', async () => {
  const answer = await h.send(interactive(viewClosed(ANN)));
  expect(answer.status).toBe(200);
});
