/**
 * What the reaction read-back must reconcile besides a new ✅: a ✅ taken away while nobody heard it withdraws the
 * approval it gave; a ✅ made again after a withdrawal counts again; a 👀 on a page sent as a direct message
 * acknowledges the incident. Each made while the bot was down, seen when it is up again.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import type { DiscordHarness } from '../helpers/discord-harness.ts';
import { ALICE, BOB, DAVE, openToyGates, useDiscordSandbox } from '../helpers/discord-suite.ts';

const harness = useDiscordSandbox();
let h: DiscordHarness;
beforeAll(() => {
  h = harness();
});

const approvers = async (gateId: string) => {
  const d = await h.preflight().engine.store.get('toy-1');
  return d?.gates.find((g) => g.id === gateId)?.approvals.map((a) => a.by);
};

const gateOf = async (gateId: string) =>
  (await h.preflight().engine.store.get('toy-1'))?.gates.find((g) => g.id === gateId);

describe('reactions changed while the bot was down', () => {
  it('withdraw an approval whose ✅ was taken away, and count a ✅ made again after a withdrawal', async () => {
    const { security, operations } = await openToyGates(h, 'v1.3.0');

    // Bob's ✅ counts (1 of 2); he takes it away while the bot is down.
    h.react(BOB, operations, '✅');
    await h.waitFor('Bob counted', async () =>
      (await approvers('operations'))?.includes('bob') ? true : undefined,
    );
    await h.restart(() => h.react(BOB, operations, '✅', false));
    await h.waitFor('Bob withdrawn', async () =>
      (await approvers('operations'))?.length === 0 ? true : undefined,
    );

    // Dave approves Security, takes it back while the bot hears it, then ✅ again while it is down.
    h.react(DAVE, security, '✅');
    await h.waitFor('security approved', async () =>
      (await gateOf('security'))?.status === 'approved' ? true : undefined,
    );
    h.react(DAVE, security, '✅', false);
    await h.waitFor('security open again', async () =>
      (await gateOf('security'))?.status === 'pending' ? true : undefined,
    );
    await h.restart(() => h.react(DAVE, security, '✅'));
    const again = await h.waitFor('security approved again', async () => {
      const gate = await gateOf('security');
      return gate?.status === 'approved' ? gate : undefined;
    });
    expect(again.approvals.map((a) => a.by)).toEqual(['dave']);

    // Another start reads the same reactions: nothing changes, nothing is counted twice.
    await h.restart();
    await new Promise((r) => setTimeout(r, 1_500));
    await h.waitFor('the inbox to be empty', async () => (await h.preflight().chat.inbox.pending()) === 0);
    expect(await approvers('operations')).toEqual([]);
    expect(await approvers('security')).toEqual(['dave']);
    const audit = await h.preflight().engine.store.audit('toy-1');
    const answers = audit.filter(
      (r) => (r.detail as { gate?: string }).gate === 'security' && r.type !== 'gate.requested',
    );
    expect(answers.map((r) => r.type)).toEqual([
      'gate.approved',
      'gate.withdrawn',
      'gate.reopened',
      'gate.approved',
    ]);
  }, 150_000);

  it('acknowledge an incident by a 👀 on its page sent as a direct message', async () => {
    h.command(BOB, 'incident', 'open', { what: 'toy is slow', target: 'toy-1' });
    const incident = await h.waitFor('the incident', async () => {
      const open = await h.preflight().engine.incidents.list({ openOnly: true });
      return open[0];
    });
    // L1 (on-call, by mention and direct message): the page Bob got directly.
    const page = await h.waitFor('the direct page', () =>
      h.fake.world.messages.find(
        (m) =>
          h.fake.world.channels.get(m.channel_id)?.recipient === ALICE &&
          m.content.includes(`paged (L1) for ${incident.id}`),
      ),
    );
    await h.restart(() => h.react(ALICE, page, '👀'));
    const acked = await h.waitFor('the ack read back', async () => {
      const i = await h.preflight().engine.incidents.get(incident.id);
      return i?.ack ? i : undefined;
    });
    expect(acked.ack?.by).toBe('alice');
  }, 120_000);
});
