/**
 * Over HTTP, what no listener takes (a shortcut, a closed form, a command whose name is not a plain word, a payload
 * of a kind Preflight does not handle, an event it does not read) is answered 200 at once, not left to Bolt's 404
 * after 3 s (Slack then shows the person an error); the person who is waiting is told, only them, that nothing was
 * done and what to use, and the log says what came, once, without the payload's secrets.
 */
import { beforeAll, expect, it } from 'vitest';
import { CHANNEL_GAP_MS } from '../../src/bot/slack/slack-chat.ts';
import { RESPONSE_URL } from '../helpers/fake-slack-api.ts';
import { ANN, BEN, oneGateRunbook } from '../helpers/one-gate-runbook.ts';
import { blockAction, eventCallback, FORM } from '../helpers/signed-slack.ts';
import type { SlackHarness } from '../helpers/slack-harness.ts';
import { useSlackSuite } from '../helpers/slack-suite.ts';
import {
  attachmentButton,
  commandNamed,
  dialogSubmission,
  globalShortcut,
  interactive,
  messageShortcut,
  unknownInteractive,
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

/** Ann presses a button Preflight does not have on message `messageTs`; its note goes to response_url `tag`. */
const pressUnknownButton = (messageTs: string, tag: string) =>
  h.send(
    blockAction({
      user: ANN,
      channel: 'C0DEPLOY1',
      messageTs,
      actionId: 'gate.frobnicate',
      value: 'unhandled-1:go',
      responseUrl: h.fake.responseUrl(tag),
    }),
  );

/** The log lines (JSON) whose message contains `text`. */
const logged = (text: string) =>
  h.logs
    .flatMap((chunk) => chunk.split('\n'))
    .filter((line) => line.includes(text))
    .map((line) => JSON.parse(line) as { level: number; request?: string; event?: string });

it('answers 200 at once, with nothing done, a payload of a kind no listener takes, and says each once in the log', async () => {
  const NOT_HANDLED = 'Slack request of a kind Preflight does not handle';
  const before = logged(NOT_HANDLED).length;
  const requests = [
    interactive(unknownInteractive(ANN)),
    interactive(dialogSubmission(ANN, h.fake.responseUrl('dialog'))),
    interactive(attachmentButton(ANN, h.fake.responseUrl('attachment'))),
    {
      body: JSON.stringify({ type: 'team_frobnicated', token: 'legacy-verification-token' }),
      contentType: 'application/json',
    },
  ];
  const answers = [];
  for (const request of requests) answers.push(await h.send(request));
  expect(answers.map((a) => [a.status, a.body])).toEqual(requests.map(() => [200, '']));
  expect(
    logged(NOT_HANDLED)
      .slice(before)
      .map((line) => line.request),
  ).toEqual([
    'type "workflow_frobnicate", user "U0ANN0001"',
    'type "dialog_submission", name "old_dialog", user "U0ANN0001"',
    'type "interactive_message", name "old_attachment", user "U0ANN0001"',
    'type "team_frobnicated"',
  ]);
  const all = h.logs.join('');
  expect(all).not.toContain('legacy-verification-token');
  expect(all).not.toContain(h.fake.responseUrl('dialog'));
  expect(all).not.toContain('Could not determine the type');
  expect(all).not.toContain('not acknowledged within 3 seconds');
  expect(await h.preflight.engine.store.get('unhandled-1')).toBeUndefined();
});

it('answers 200 an event Preflight does not read, and says its type once in the log', async () => {
  const mention = {
    type: 'app_mention',
    user: ANN,
    text: 'deploy please',
    channel: 'C0DEPLOY1',
    ts: '1764751234.000300',
    event_ts: '1764751234.000300',
  };
  const first = await h.send(eventCallback(mention, 'EvMENTION01'));
  const again = await h.send(eventCallback({ ...mention, ts: '1764751234.000400' }, 'EvMENTION02'));
  expect([first.status, again.status]).toEqual([200, 200]);
  const said = logged('Slack sent an event Preflight does not read');
  expect(said.map((line) => [line.level, line.event])).toEqual([[40, 'app_mention']]);
});

it('refuses a form sent with a charset with 400 saying how Slack sends it, and logs why', async () => {
  const answer = await h.send({ body: 'payload=%7B%7D', contentType: `${FORM}; charset=utf-8` });
  expect(answer.status).toBe(400);
  expect(answer.body).toBe(
    `not a Slack request Preflight can read: the body is not JSON (sent as ${FORM}; charset=utf-8; Slack sends JSON, or a form as exactly ${FORM})`,
  );
  expect(logged('Slack request refused: the body is not JSON')).toHaveLength(1);
});

it('answers an unknown button and a message shortcut while Slack has yet to confirm the note to the person', async () => {
  // Slack shows each note at once but confirms it only after Preflight's answer is long due (Slack waits 3 s).
  h.fake.fail(RESPONSE_URL, { lateMs: 600_000 }, 2);
  const button = await pressUnknownButton('1764751234.000500', 'slow-button');
  const shortcut = await h.send(interactive(messageShortcut(ANN, h.fake.responseUrl('slow-shortcut'))));
  expect([button.status, shortcut.status]).toEqual([200, 200]);
  const noted = await h.waitFor('both notes shown', () => {
    const shown = h.fake.responses.filter((r) => r.tag.startsWith('slow-'));
    return shown.length === 2 && shown.map((r) => r.body.text);
  });
  expect(noted.sort()).toEqual([
    '⚠️ Preflight does not understand the shortcut approve_from_message; nothing was done; use `/deploy help` to see what it does',
    '⚠️ this button is not understood (it may be from an older version of Preflight); nothing was done',
  ]);
}, 30_000);

it('paces the direct messages answering global shortcuts as the chat port paces its posts to a channel', async () => {
  // Three shortcuts at once: each note is a chat.postMessage to the person's direct message, which Slack paces.
  const answers = await Promise.all([1, 2, 3].map(() => h.send(interactive(globalShortcut(BEN)))));
  expect(answers.map((a) => a.status)).toEqual([200, 200, 200]);
  const posts = await h.waitFor('the three notes', () => {
    const found = h.fake.calls.filter(
      (c) => c.method === 'chat.postMessage' && c.params.channel === 'D0BEN0001',
    );
    return found.length === 3 && found;
  });
  const gaps = posts.slice(1).map((post, i) => post.at - (posts[i]?.at ?? 0));
  // The calls leave a full gap apart; their arrivals differ by their transit, a few ms (unpaced: all at once).
  for (const gap of gaps) expect(gap).toBeGreaterThanOrEqual(CHANNEL_GAP_MS - 100);
});

it.each([
  ['a 429', { status: 429, retryAfter: 1 } as const],
  ['a 500', { status: 500 } as const],
])(
  'shows the note to an unknown button once, when its response_url first answers %s',
  async (name, fault) => {
    const tag = `note-${fault.status}`;
    h.fake.fail(RESPONSE_URL, fault, 1);
    const button = await pressUnknownButton('1764751234.000600', tag);
    expect(button.status).toBe(200);
    await h.waitFor(`the note after ${name}`, () => h.fake.shown(tag).length > 0, 20_000);
    // A later press's note is shown after it: a second post of the first note would be by now.
    const later = `${tag}-later`;
    await pressUnknownButton('1764751234.000600', later);
    await h.waitFor('the later note', () => h.fake.shown(later).length > 0);
    expect(h.fake.shown(tag).map((note) => note.text)).toEqual([
      '⚠️ this button is not understood (it may be from an older version of Preflight); nothing was done',
    ]);
    expect(h.fake.calls.filter((c) => c.method === RESPONSE_URL && c.status === fault.status)).toHaveLength(
      1,
    );
  },
);
