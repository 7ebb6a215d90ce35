/** An incident on the toy service opened on Discord the way the on-call does it. */
import { expect } from 'vitest';
import type { DiscordHarness } from './discord-harness.ts';
import { ALICE, CAROL, inThread } from './discord-suite.ts';
import { INCIDENT_CHANNEL_ID } from './fake-discord.ts';
import type { FakeDiscordMessage } from './fake-discord-state.ts';

/** Alice opens INC-1 ("the toy answers 500") in the incident channel; returns the incident's message once posted. */
export async function openToyIncident(h: DiscordHarness) {
  const open = h.command(
    ALICE,
    'incident',
    'open',
    { target: 'toy', what: 'the toy answers 500' },
    { channel: INCIDENT_CHANNEL_ID },
  );
  expect((await h.answer(open)).content).toMatch(/^🚨 INC-1 opened in /);
  return h.waitFor('the incident message', () =>
    h.fake.world.messages.find((m) => m.channel_id === INCIDENT_CHANNEL_ID && m.content.includes('INC-1')),
  );
}

/** Carol's ✅ on `message` (INC-1's, posted anew) acknowledges INC-1: said in its thread, and the message edited. */
export async function expectAckedByCarolOn(h: DiscordHarness, message: FakeDiscordMessage) {
  h.react(CAROL, message, '✅');
  const acknowledged = await h.waitFor('INC-1 acknowledged', async () => {
    const incident = await h.preflight().engine.incidents.get('INC-1');
    return incident?.state === 'acknowledged' ? incident : undefined;
  });
  expect(acknowledged.ack?.by).toBe('carol');
  await h.waitFor('the acknowledgement in the new thread', inThread(h, message.id, 'acknowledged INC-1'));
  await h.waitFor('the new message edited', () =>
    message.content.includes('Acknowledged by') ? message : undefined,
  );
}

/** Blocks this process (the fake Discord with it) for `ms`: the bot is down meanwhile, time goes on. */
export function downFor(ms: number): void {
  const end = Date.now() + ms;
  while (Date.now() < end) {
    // the bot is stopped; nothing runs
  }
}
