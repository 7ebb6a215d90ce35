/**
 * Only ✅ approves on Discord, as on Slack (design: ✅ `white_check_mark` approves): a look-alike check (✔️, ☑️)
 * approves nothing (its approver is told so: discord-look-alike-reaction.test.ts). Were it an approval, it would be one the bot cannot see again: the reactions read
 * back after a gateway gap are the ✅ ones, so an approval given with ✔️ would be taken away by the next session.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import type { DiscordHarness } from '../helpers/discord-harness.ts';
import { BOB, CAROL, openToyGates, useDiscordSandbox } from '../helpers/discord-suite.ts';
import type { FakeDiscordMessage } from '../helpers/fake-discord.ts';

const harness = useDiscordSandbox();
let h: DiscordHarness;
let operations: FakeDiscordMessage;
beforeAll(async () => {
  h = harness();
  ({ operations } = await openToyGates(h, 'v1.3.0'));
}, 60_000);

const approversOf = async () =>
  (await h.preflight().engine.store.get('toy-1'))?.gates
    .find((g) => g.id === 'operations')
    ?.approvals.map((a) => a.by);
const inboxEmpty = () =>
  h.waitFor('the inbox to be empty', async () => (await h.preflight().chat.inbox.pending()) === 0);

describe('approving on Discord', () => {
  it('counts ✅ only, and what counted still counts after a new gateway session', async () => {
    h.react(BOB, operations, '✔️');
    h.react(CAROL, operations, '☑️');
    await new Promise((r) => setTimeout(r, 1_000));
    await inboxEmpty();
    expect(await approversOf()).toEqual([]);

    h.react(BOB, operations, '✅');
    await h.waitFor('Bob’s approval', async () => ((await approversOf()) ?? []).includes('bob'));

    // The session cannot be resumed: the bot identifies anew and reads the reactions back.
    const before = h.fake.gateway.counts();
    h.fake.gateway.disconnect(4009, 'Session timed out.');
    await h.waitFor('a new session', () => h.fake.gateway.counts().identifies > before.identifies);
    await new Promise((r) => setTimeout(r, 1_500));
    await inboxEmpty();
    expect(await approversOf()).toEqual(['bob']);
  }, 60_000);
});
