/**
 * The gateway connection drops while gates wait for approval, and reactions are made before the bot is connected
 * again. When Discord lets the session resume, it replays them: the gate owner's ✅ counts once and a non-owner's
 * is refused (told by direct message, as live). When the session cannot be resumed (INVALID_SESSION), nothing is
 * replayed: the bot identifies anew and reads the reactions back, so the approval still counts, once, and the
 * refusal stays quiet.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import type { Deployment } from '../../src/core/index.ts';
import type { DiscordHarness } from '../helpers/discord-harness.ts';
import { BOB, CAROL, DAVE, ERIN, openToyGates, useDiscordSandbox } from '../helpers/discord-suite.ts';
import type { FakeDiscordMessage } from '../helpers/fake-discord.ts';

const harness = useDiscordSandbox();
let h: DiscordHarness;
let gates: { security: FakeDiscordMessage; operations: FakeDiscordMessage };
beforeAll(async () => {
  h = harness();
  gates = await openToyGates(h, 'v1.3.0');
}, 60_000);

const gateOf = async (id: string): Promise<Deployment['gates'][number] | undefined> =>
  (await h.preflight().engine.store.get('toy-1'))?.gates.find((g) => g.id === id);
const toErin = () =>
  h.fake.world.messages.filter((m) => h.fake.world.channels.get(m.channel_id)?.recipient === ERIN);
/** Audit records of an approval given by `person`. */
const approvalsBy = async (person: string) =>
  (await h.preflight().engine.store.audit('toy-1')).filter(
    (r) => r.actor === person && (r.type === 'gate.approval' || r.type === 'gate.approved'),
  );
const inboxEmpty = () =>
  h.waitFor('the inbox to be empty', async () => (await h.preflight().chat.inbox.pending()) === 0);

describe('a gateway connection that drops while a gate waits', () => {
  it('is resumed: the approval made meanwhile counts once, a non-owner’s is refused', async () => {
    const before = h.fake.gateway.counts();
    // Discord closes with a code that allows resuming; Dave approves and Erin (not an approver) reacts before
    // the bot is back.
    h.fake.gateway.disconnect(4000, 'Unknown error.');
    h.react(DAVE, gates.security, '✅');
    h.react(ERIN, gates.security, '✅');

    const approved = await h.waitFor('the security gate approved', async () => {
      const gate = await gateOf('security');
      return gate?.status === 'approved' ? gate : undefined;
    });
    expect(approved.approvals.map((a) => a.by)).toEqual(['dave']);
    const after = h.fake.gateway.counts();
    expect(after.resumes).toBe(before.resumes + 1);
    expect(after.identifies).toBe(before.identifies);
    expect(after.replayed).toBeGreaterThanOrEqual(2);
    const refusal = await h.waitFor('the refusal in Erin’s direct messages', () => toErin()[0]);
    expect(refusal.content).toBe(
      '⚠️ only Dave Diaz (Security) can approve the Security sign-off gate (gates.security.approvers); your approval was not counted',
    );
    await inboxEmpty();
    expect(await approvalsBy('dave')).toHaveLength(1);
  }, 60_000);

  it('cannot be resumed: the bot identifies again and still counts the approval once, the refusal quiet', async () => {
    const before = h.fake.gateway.counts();
    // The session timed out on Discord's side: its RESUME is answered INVALID_SESSION and nothing is replayed.
    h.fake.gateway.disconnect(4009, 'Session timed out.');
    h.react(BOB, gates.operations, '✅');
    h.react(ERIN, gates.operations, '✅');

    await h.waitFor('a new session', () => h.fake.gateway.counts().identifies > before.identifies);
    const counted = await h.waitFor('Bob’s approval read back', async () => {
      const gate = await gateOf('operations');
      return gate?.approvals.some((a) => a.by === 'bob') ? gate : undefined;
    });
    expect(counted.approvals.map((a) => a.by)).toEqual(['bob']);
    expect(h.fake.gateway.counts().invalidSessions).toBe(before.invalidSessions + 1);

    // Carol's approval, heard live on the new session, is the second the gate needs.
    h.react(CAROL, gates.operations, '✅');
    const approved = await h.waitFor('the operations gate approved', async () => {
      const gate = await gateOf('operations');
      return gate?.status === 'approved' ? gate : undefined;
    });
    expect(approved.approvals.map((a) => a.by)).toEqual(['bob', 'carol']);
    await inboxEmpty();
    expect(await approvalsBy('bob')).toHaveLength(1);
    // Erin heard once, from the first drop: the read-back does not answer a refusal out of the blue.
    expect(toErin()).toHaveLength(1);
  }, 60_000);
});
