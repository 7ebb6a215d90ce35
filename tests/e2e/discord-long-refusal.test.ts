/**
 * A refusal said in the thread to a person who takes no direct messages fits in one Discord message however long
 * the refusal is: the mention and why it is said there stay whole, the refusal is cut (Discord refuses content over
 * 2,000 characters with 400 / 50035, and the notice would be lost). The direct message, where it is taken, is whole.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import type { DiscordHarness } from '../helpers/discord-harness.ts';
import { ERIN, openToyGates, useDiscordSandbox } from '../helpers/discord-suite.ts';

/** A gate title long enough that Erin's refusal about it is most of a Discord message on its own. */
const TITLE = `Security sign-off of ${'the release notes, '.repeat(94)}and the scan`;
const harness = useDiscordSandbox({
  runbook: (text) => text.replace('title: Security sign-off', `title: "${TITLE}"`),
});
let h: DiscordHarness;
beforeAll(() => {
  h = harness();
});

const REFUSAL = `⚠️ only Dave Diaz (Security) can approve the ${TITLE} gate (gates.security.approvers); your approval was not counted`;
const WHY_HERE =
  ' (said here because Discord does not let Preflight send you direct messages: allow direct messages from this server in its Privacy Settings to get these privately)';

describe('a long refusal of a reaction on Discord', () => {
  it('comes whole by direct message, and cut to fit in the thread to one who takes none', async () => {
    expect(REFUSAL.length).toBeGreaterThan(1_900);
    expect(REFUSAL.length).toBeLessThanOrEqual(2_000);
    const { security } = await openToyGates(h, 'v1.3.0', 'and the scan** gate');

    h.react(ERIN, security, '✅');
    const dm = await h.waitFor('the refusal in Erin’s direct messages', () =>
      h.fake.world.messages.find((m) => h.fake.world.channels.get(m.channel_id)?.recipient === ERIN),
    );
    expect(dm.content).toBe(REFUSAL);

    h.fake.world.closedDms.add(ERIN);
    h.react(ERIN, security, '✅', false);
    h.react(ERIN, security, '✅');
    // Its direct message is tried and refused first, then the thread: on a heavily loaded machine it once did
    // not come within 20 s (alone it comes in well under 10 s).
    const said = await h.waitFor(
      'the refusal in the gate’s thread',
      () =>
        h.fake.world.messages.find(
          (m) => m.channel_id === security.channel_id && m.content.startsWith(`<@${ERIN}> `),
        ),
      60_000,
    );
    expect(said.content.length).toBeLessThanOrEqual(2_000);
    expect(said.content.startsWith(`<@${ERIN}> ⚠️ only Dave Diaz (Security) can approve the Security`)).toBe(
      true,
    );
    expect(said.content.endsWith(`… (cut: the rest did not fit in one Discord message)${WHY_HERE}`)).toBe(
      true,
    );
    const posts = h.fake.world.calls.filter(
      (c) => c.method === 'POST' && c.path === `/channels/${security.channel_id}/messages`,
    );
    expect(posts.filter((c) => c.status === 400)).toEqual([]);
  }, 90_000);
});
