/**
 * In Socket Mode, what no listener takes (a shortcut, a closed form, a command whose name is not a plain word, an
 * interactive payload Bolt cannot place) is acknowledged instead of never (Slack would show the person an error);
 * the person who is waiting is told, only them, that nothing was done and what to use.
 */
import { beforeAll, expect, it } from 'vitest';
import type { FakeSocketMode } from '../helpers/fake-slack-socket.ts';
import { ANN, oneGateRunbook } from '../helpers/one-gate-runbook.ts';
import type { SlackHarness } from '../helpers/slack-harness.ts';
import { useSlackSuite } from '../helpers/slack-suite.ts';
import { commandNamed, globalShortcut, messageShortcut, viewClosed } from '../helpers/unhandled-slack.ts';

const suite = useSlackSuite(oneGateRunbook('unhandled'), { socketMode: true });
let h: SlackHarness;
let socket: FakeSocketMode;
beforeAll(async () => {
  h = suite.h;
  if (!h.socket) throw new Error('no socket');
  socket = h.socket;
  await socket.connected();
});

/** Delivers an envelope and waits for its ack (a bound, so a missing ack fails with its name, not the test timeout). */
async function deliver(type: 'slash_commands' | 'interactive', payload: unknown) {
  const envelope = socket.send(type, payload);
  await h.waitFor(
    `the ack of ${type} envelope ${envelope.envelopeId}`,
    () => socket.isAcked(envelope.envelopeId),
    10_000,
  );
  return { ack: await envelope.acked, envelopeId: envelope.envelopeId };
}

it('answers a command whose name is not a plain word, telling the person to use /deploy help', async () => {
  const { ack } = await deliver('slash_commands', commandNamed('/déployer', ANN, h.fake.responseUrl('x')));
  expect(ack).toEqual({
    response_type: 'ephemeral',
    text: '⚠️ Preflight does not understand the command /déployer; nothing was done; use `/deploy help` to see what it does',
  });
  expect(await h.preflight.engine.store.get('unhandled-1')).toBeUndefined();
});

it('acknowledges a global shortcut and tells the person in a direct message', async () => {
  await deliver('interactive', globalShortcut(ANN));
  const told = await h.waitFor('the direct message', () =>
    h.fake.messages.find((m) => m.channel.startsWith('D') && m.text.includes('open_deploy_form')),
  );
  expect(told.text).toContain(
    'Preflight does not understand the shortcut open_deploy_form; nothing was done',
  );
});

it('acknowledges a message shortcut and tells the person only, in the channel', async () => {
  await deliver('interactive', messageShortcut(ANN, h.fake.responseUrl('message-shortcut')));
  const told = await h.waitFor('the answer', () =>
    h.fake.responses.find((r) => r.tag === 'message-shortcut'),
  );
  expect(told.body).toMatchObject({ response_type: 'ephemeral' });
  expect(String(told.body.text)).toContain('does not understand the shortcut approve_from_message');
});

it('acknowledges a closed form, and an interactive payload of a kind Bolt does not know, saying so in the log', async () => {
  await deliver('interactive', viewClosed(ANN));
  const { envelopeId } = await deliver('interactive', { type: 'workflow_frobnicate', user: { id: ANN } });
  expect(h.logs.join('')).toContain(`Slack envelope ${envelopeId} (interactive) had no listener`);
});
