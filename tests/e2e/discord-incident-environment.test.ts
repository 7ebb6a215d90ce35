/**
 * `/incident open` from Discord with its environment option: a name the runbook does not have is refused with the
 * names it has (it never declares the incident for the default environment, nor pages that environment's people),
 * and the environment picked is the incident's, whatever the words of what happened say.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import type { DiscordHarness } from '../helpers/discord-harness.ts';
import { ALICE, useDiscordSandbox } from '../helpers/discord-suite.ts';
import { INCIDENT_CHANNEL_ID } from '../helpers/fake-discord.ts';

const harness = useDiscordSandbox();
let h: DiscordHarness;
beforeAll(() => {
  h = harness();
});

describe('/incident open with an environment from Discord', () => {
  it('refuses an environment the runbook does not have, and keeps the one picked', async () => {
    const typo = h.command(
      ALICE,
      'incident',
      'open',
      { target: 'toy', environment: 'stagin', what: 'db down' },
      { channel: INCIDENT_CHANNEL_ID },
    );
    expect(await h.answer(typo)).toMatchObject({
      content: '⚠️ toy has no environment "stagin" (its runbook has production, staging)',
      ephemeral: true,
    });
    expect(await h.preflight().engine.incidents.list({ limit: 10 })).toEqual([]);

    const staging = h.command(
      ALICE,
      'incident',
      'open',
      { target: 'toy', environment: 'staging', what: 'production' },
      { channel: INCIDENT_CHANNEL_ID },
    );
    expect((await h.answer(staging)).content).toMatch(/^🚨 INC-1 opened in .* for toy staging; paging L1\.$/);
    const [incident] = await h.preflight().engine.incidents.list({ limit: 10 });
    expect(incident).toMatchObject({
      id: 'INC-1',
      service: 'toy',
      environment: 'staging',
      title: 'production',
    });
  }, 60_000);
});
