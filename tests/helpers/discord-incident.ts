/** An incident on the toy service opened on Discord the way the on-call does it. */
import { expect } from 'vitest';
import type { DiscordHarness } from './discord-harness.ts';
import { ALICE } from './discord-suite.ts';
import { INCIDENT_CHANNEL_ID } from './fake-discord.ts';

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
