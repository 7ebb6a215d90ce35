/**
 * A button whose value is forged or garbled (empty, `:`, naming a deployment, gate or incident that does not exist,
 * or another deployment's gate) is answered to the person who pressed it, only them, with what happened and what
 * to do, and changes nothing. A value that does name the message's own gate still meets the core's permission
 * check, as the ✅ on that message does.
 */
import { randomUUID } from 'node:crypto';
import { beforeAll, expect, it } from 'vitest';
import { type FakeMessage, INCIDENT_CHANNEL } from '../helpers/fake-slack-api.ts';
import { ANN, oneGateRunbook } from '../helpers/one-gate-runbook.ts';
import { blockAction } from '../helpers/signed-slack.ts';
import type { SlackHarness } from '../helpers/slack-harness.ts';
import { useSlackSuite } from '../helpers/slack-suite.ts';

const EVE = 'U0EVE0001';
const suite = useSlackSuite(oneGateRunbook('edges', { staging: true }));
let h: SlackHarness;
let gate: FakeMessage;

beforeAll(async () => {
  h = suite.h;
  await h.command(ANN, '/deploy start edges v1.0.0');
  gate = await h.waitFor('the first gate', () => h.fake.messages.find((m) => m.text.includes('*Go* gate')));
  await h.command(ANN, '/deploy start edges v2.0.0 staging');
  await h.waitForState('edges-2', ['awaiting_gates']);
});

/** Presses a button on a message (the first deployment's gate) with any action and value; returns what the person saw. */
async function press(user: string, actionId: string, value: string, on: FakeMessage = gate) {
  const tag = randomUUID();
  const answer = await h.send(
    blockAction({
      user,
      channel: on.channel,
      messageTs: on.ts,
      actionId,
      value,
      responseUrl: h.fake.responseUrl(tag),
    }),
  );
  expect(answer.status).toBe(200);
  const told = await h.waitFor(`the answer to ${actionId} ${JSON.stringify(value)}`, () =>
    h.fake.responses.find((r) => r.tag === tag),
  );
  expect(told.body).toMatchObject({ response_type: 'ephemeral', replace_original: false });
  return String(told.body.text);
}

/** Ann presses each [action, value] in turn on `on`; what she saw each time, in order. */
async function pressEach(presses: readonly (readonly [string, string])[], on: FakeMessage = gate) {
  const said: string[] = [];
  for (const [action, value] of presses) said.push(await press(ANN, action, value, on));
  return said;
}

const GARBLED =
  '⚠️ this button does not say which deployment or incident it is for (its value is empty or garbled); nothing was done. See `/deploy status edges-1`, and use the buttons on its current message or the command.';

it('answers a button whose value is empty or garbled with what to do, and changes nothing', async () => {
  const said = await pressEach([
    ['gate.approve', ''],
    ['gate.approve', ':'],
    ['gate.reject', ':go'],
    ['incident.ack', ''],
    ['rollback.request', '<!channel>'],
  ]);
  expect(said).toEqual(said.map(() => GARBLED));
});

it('answers a button naming a gate, deployment or incident that does not exist, or another deployment’s gate', async () => {
  expect(await press(ANN, 'gate.approve', 'edges-1:nosuch')).toBe(
    '⚠️ this button is not one Preflight put on the message it was pressed on (the message of gate go of edges-1); nothing was done. See `/deploy status edges-1`, and use the buttons on the message of what you meant, or the command.',
  );
  expect(await press(ANN, 'gate.approve', 'edges-99:go')).toBe(
    '⚠️ this button is on a message about edges-1, not edges-99; nothing was done. See `/deploy status edges-99`, and use the buttons on its current message or the command.',
  );
  expect(await press(ANN, 'gate.approve', 'edges-2:go')).toBe(
    '⚠️ this button is on a message about edges-1, not edges-2; nothing was done. See `/deploy status edges-2`, and use the buttons on its current message or the command.',
  );
  expect(await press(ANN, 'incident.ack', 'INC-9')).toBe(
    '⚠️ this button is on a message about edges-1, not INC-9; nothing was done. See `/incident status INC-9`, and use the buttons on its current message or the command.',
  );
  expect(await press(ANN, 'decide', 'edges-1:')).toBe(
    '⚠️ this button is not understood (it may be from an older version of Preflight); nothing was done. See `/deploy status edges-1`, and use the buttons on its current message or the command',
  );
});

it('refuses the message’s own Approve to someone the runbook does not allow, as the core refuses their ✅', async () => {
  const clicked = await press(EVE, 'gate.approve', 'edges-1:go');
  expect(clicked).toMatch(/^⚠️ your slack user id \(U0EVE0001\) is not among the people of the edges runbook/);
  await h.react(EVE, gate, 'white_check_mark');
  const reacted = await h.waitFor('the refusal of the ✅', () =>
    h.fake.calls.find((c) => c.method === 'chat.postEphemeral' && c.params.user === EVE),
  );
  expect(reacted.params.text).toBe(clicked);
});

it('changed nothing: both gates still wait, with no approval or rejection', async () => {
  for (const id of ['edges-1', 'edges-2']) {
    const d = await h.preflight.engine.store.get(id);
    expect(d?.state).toBe('awaiting_gates');
    expect(d?.gates.map((g) => [g.id, g.status, g.approvals])).toEqual([['go', 'pending', []]]);
  }
  expect(await h.preflight.engine.incidents.get('INC-9')).toBeUndefined();
});

it('answers an incident’s or rollback’s button with more after its id as not understood, and does nothing', async () => {
  await h.command(ANN, '/incident open edges-1 checkout answers 500');
  const incident = await h.waitFor('the incident message', () =>
    h.fake.messages.find(
      (m) => m.channel === INCIDENT_CHANNEL && !m.threadTs && m.text.includes('checkout answers 500'),
    ),
  );
  const said = await pressEach(
    [
      ['incident.ack', 'INC-1:zzz'],
      ['incident.ack', 'INC-1:'],
      ['incident.emergency', 'INC-1:stop:zzz'],
      ['rollback.request', 'edges-1:zzz'],
    ],
    incident,
  );
  expect(said).toEqual(
    said.map(
      () =>
        '⚠️ this button is not understood (its value is not one Preflight puts on it; it may be from an older version of Preflight); nothing was done. See `/incident status INC-1`, and use the buttons on its current message or the command.',
    ),
  );
  // A space is no separator: the value names nothing Preflight knows.
  expect(await press(ANN, 'incident.ack', 'INC-1 extra', incident)).toBe(
    '⚠️ this button does not say which deployment or incident it is for (its value is empty or garbled); nothing was done. See `/incident status INC-1`, and use the buttons on its current message or the command.',
  );
  const inc = await h.preflight.engine.incidents.get('INC-1');
  expect([inc?.state, inc?.ack]).toEqual(['open', undefined]);
  expect((await h.preflight.engine.store.get('edges-1'))?.state).toBe('awaiting_gates');
  // The button as Preflight posted it still acknowledges.
  expect(await press(ANN, 'incident.ack', 'INC-1', incident)).toBe('acknowledged INC-1; paging stopped');
});
