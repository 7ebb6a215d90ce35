/**
 * Discord hands Preflight whatever custom_id a client sends with a button press: a forged or garbled one gets a
 * private answer that says the button is not understood or names nothing, or quotes what it named as written (no markup, no
 * mention made of it), and nothing changes.
 */
import { expect, it } from 'vitest';
import { openToyIncident } from '../helpers/discord-incident.ts';
import { BOB, CAROL, openToyGates, useDiscordSandbox } from '../helpers/discord-suite.ts';

const harness = useDiscordSandbox();
const NOT_UNDERSTOOD =
  '⚠️ this button is not understood (it may be from an older version of Preflight); nothing was done';
const NAMES_NOTHING =
  '⚠️ this button does not say which deployment or incident it is for (its value is empty or garbled); nothing was done. See `/deploy status toy-1`, and use the buttons on its current message or the command.';

it('answers forged buttons privately and specifically, and changes nothing', async () => {
  const h = harness();
  const { operations } = await openToyGates(h, 'v1.3.0');
  const gates = async () => (await h.preflight().engine.store.get('toy-1'))?.gates.map((g) => g.approvals);

  // No deployment named: not taken for a button about another deployment ("about toy-1, not ").
  const empty = await h.answer(h.click(BOB, operations, 'gate.approve|'));
  expect(empty).toMatchObject({ ephemeral: true, content: NAMES_NOTHING });
  const nameless = await h.answer(h.click(BOB, operations, 'decide|:retry'));
  expect(nameless).toMatchObject({ ephemeral: true, content: NAMES_NOTHING });

  // A gate name with markup and a mention in it, on another gate's message: refused, and not repeated.
  const marked = await h.answer(h.click(BOB, operations, 'gate.approve|toy-1:**x** @everyone'));
  expect(marked.ephemeral).toBe(true);
  expect(marked.content).toContain('not one Preflight put on the message it was pressed on');
  expect(marked.content).not.toContain('**x**');
  expect(marked.content).not.toMatch(/(^|[^\u200b])@everyone/);

  // An id without the action separator is answered at once, privately.
  const garbled = h.click(BOB, operations, 'nonsense');
  const callback = await h.waitFor('the answer', () =>
    h.fake.world.answers.find((a) => a.token === garbled.token && a.kind === 'callback'),
  );
  expect(callback.body).toMatchObject({ type: 4, data: { content: NOT_UNDERSTOOD, flags: 64 } });
  expect(await gates()).toEqual([[], []]);
}, 90_000);

it('answers an incident button with more after its id as not understood, as on Slack, and acknowledges nothing', async () => {
  const h = harness();
  const root = await openToyIncident(h);
  for (const id of ['incident.ack|INC-1:zzz', 'incident.emergency|INC-1:logs:zzz'])
    expect(await h.answer(h.click(CAROL, root, id))).toMatchObject({
      ephemeral: true,
      content:
        '⚠️ this button is not understood (its value is not one Preflight puts on it; it may be from an older version of Preflight); nothing was done. See `/incident status INC-1`, and use the buttons on its current message or the command.',
    });
  const incident = await h.preflight().engine.incidents.get('INC-1');
  expect([incident?.state, incident?.ack]).toEqual(['open', undefined]);
}, 60_000);
