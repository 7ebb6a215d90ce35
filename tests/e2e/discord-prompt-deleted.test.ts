/**
 * On Discord someone deletes a gate's prompt in the deployment's thread, and the gateway tells Preflight
 * (MESSAGE_DELETE, which the Guild Messages intent brings), each of two bots on its token. The prompt is posted
 * again in the thread once, as it stands, with its buttons and a line saying the earlier one was deleted; Dave's ✅
 * on the new one approves the gate. An open incident's message deleted is posted again at once with a new thread
 * (not at its next page), where an ack counts.
 */
import { expect, it } from 'vitest';
import { expectAckedByCarolOn, openToyIncident } from '../helpers/discord-incident.ts';
import { ALICE, DAVE, inThread, openToyGates, useDiscordSandbox } from '../helpers/discord-suite.ts';
import { INCIDENT_CHANNEL_ID } from '../helpers/fake-discord.ts';

// L1 has ten minutes to answer: no page edits the incident's message while the test runs.
const harness = useDiscordSandbox({
  runbook: (text) => text.replace('respond_within: 10s', 'respond_within: 10m'),
});

it('posts a deleted pending gate prompt again in its thread, where a ✅ approves the gate', async () => {
  const h = harness();
  const { root, security } = await openToyGates(h, 'v1.5.0');
  // A second bot on the same token hears the deletion too: the prompt is still posted again once.
  const stopReplica = await h.startReplica();
  h.deleteMessage(security);

  const posted = await h.waitFor(
    'the gate posted again',
    () =>
      h.fake.world.messages.find(
        (m) =>
          m.channel_id === root.id && m.id !== security.id && m.content.includes('Security sign-off** gate'),
      ),
    30_000,
  );
  expect(JSON.stringify(posted.components)).toContain('gate.approve');
  const word = await h.waitFor('the word', inThread(h, root.id, 'was deleted'));
  expect(word.content).toContain('toy-1');
  expect(BigInt(word.id)).toBeLessThan(BigInt(posted.id));
  // The message index names the new message (saved right after its post).
  await h.waitFor(
    'the index naming the new prompt',
    async () => (await h.preflight().chat.index.find('toy-1', 'gate:security'))?.id === posted.id,
  );

  h.react(DAVE, posted, '✅');
  const gate = async () =>
    (await h.preflight().engine.store.get('toy-1'))?.gates.find((g) => g.id === 'security');
  await h.waitFor('the gate approved', async () => (await gate())?.status === 'approved', 30_000);
  expect((await gate())?.approvals.map((a) => a.by)).toEqual(['dave']);
  await h.waitFor('the new prompt edited', () => (posted.content.includes('approved') ? posted : undefined));
  expect(
    h.fake.world.messages.filter(
      (m) => m.channel_id === root.id && m.content.includes('Security sign-off** gate'),
    ),
  ).toHaveLength(1);
  expect(
    h.fake.world.messages.filter((m) => m.channel_id === root.id && m.content.includes('was deleted')),
  ).toHaveLength(1);
  await stopReplica();
  await h.answer(h.command(ALICE, 'deploy', 'abort', { id: 'toy-1' }));
  await h.waitForState('toy-1', ['aborted']);
}, 120_000);

it("posts an open incident's deleted message again at once, where an ack counts", async () => {
  const h = harness();
  const root = await openToyIncident(h);
  await h.waitFor('the L1 page', inThread(h, root.id, 'L1'));
  h.deleteMessage(root);
  const anew = await h.waitFor(
    'a new incident message',
    () =>
      h.fake.world.messages.find(
        (m) => m.channel_id === INCIDENT_CHANNEL_ID && m.id !== root.id && m.content.includes('INC-1'),
      ),
    30_000,
  );
  await h.waitFor('the word in the new thread', inThread(h, anew.id, 'earlier thread was deleted'));
  expect((await h.preflight().engine.incidents.get('INC-1'))?.pages).toHaveLength(1);
  await h.waitFor(
    'the index naming the new incident message',
    async () => (await h.preflight().chat.index.find('INC-1', 'incident'))?.id === anew.id,
  );
  await expectAckedByCarolOn(h, anew);
}, 120_000);
