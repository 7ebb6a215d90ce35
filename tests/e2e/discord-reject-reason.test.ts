/**
 * A rejection's reason on Discord, where Preflight reads no message text: Reject opens a form that asks why, and a
 * gate rejected by ❌ offers *Give the reason*, which opens the same form; only the person who rejected gives it.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import type { DiscordHarness } from '../helpers/discord-harness.ts';
import { CAROL, DAVE, ERIN, inThread, openToyGates, useDiscordSandbox } from '../helpers/discord-suite.ts';
import type { FakeDiscordMessage } from '../helpers/fake-discord.ts';

const harness = useDiscordSandbox();
let h: DiscordHarness;
beforeAll(() => {
  h = harness();
});

const openGates = (version: string) => openToyGates(h, version);

/** The form a click opened: the callback answering the interaction with a modal. */
const formOpenedBy = (token: string) =>
  h.waitFor('the form', () =>
    h.fake.world.answers.find((a) => a.token === token && a.kind === 'callback' && a.body.type === 9),
  );

const current = (message: FakeDiscordMessage) => h.fake.world.message(message.id);

describe('a rejection’s reason on Discord', () => {
  it('asks why in a form when Reject is pressed, and rejects only when the form is sent', async () => {
    const { root, operations } = await openGates('v1.3.0');
    const click = h.click(CAROL, operations, 'gate.reject|toy-1:operations');
    const form = await formOpenedBy(click.token);
    expect(form.body.data).toMatchObject({
      custom_id: 'gate.reject|toy-1:operations',
      title: 'Reject the gate',
      components: [
        { type: 1, components: [expect.objectContaining({ type: 4, custom_id: 'reason', required: true })] },
      ],
    });
    // Opening the form (and closing it unsent) changes nothing.
    expect((await h.preflight().engine.store.get('toy-1'))?.gates.map((g) => g.status)).toEqual([
      'pending',
      'pending',
    ]);
    const sent = h.submit(CAROL, operations, 'gate.reject|toy-1:operations', {
      reason: 'the pager rota is empty',
    });
    const answer = await h.answer(sent);
    expect(answer.ephemeral).toBe(true);
    expect(answer.content).toBe(
      'you rejected the Operations sign-off gate (the pager rota is empty): the deployment has stopped, and its thread says so',
    );
    const failed = await h.waitForState('toy-1', ['failed']);
    expect(failed.gates.find((g) => g.id === 'operations')?.rejection).toMatchObject({
      by: 'carol',
      reason: 'the pager rota is empty',
    });
    await h.waitFor('the gate message with the reason', () =>
      current(operations)?.content.includes('rejected by <@200000000000000003>: the pager rota is empty'),
    );
    expect(current(operations)?.components ?? []).toEqual([]);
    expect(
      h.fake.world.messages.some(
        (m) => m.channel_id === root.id && m.content.includes('Please give the reason'),
      ),
    ).toBe(false);
  }, 90_000);

  it('offers Give the reason on a gate rejected by ❌, and takes it from the person who rejected only', async () => {
    const { root, security } = await openGates('v1.3.1');
    h.react(DAVE, security, '❌');
    const asked = await h.waitFor(
      'the request for the reason',
      inThread(h, root.id, 'Please give the reason'),
    );
    // Discord's thread replies are never read (no Message Content intent): the form is the way, and the only one told.
    expect(asked.content).toBe(
      `<@${DAVE}> rejected the Security sign-off gate. Please give the reason: press **Give the reason** on the gate's message.`,
    );
    const withButton = await h.waitFor('the Give the reason button', () => {
      const now = current(security);
      return (
        JSON.stringify(now?.components ?? []).includes('"custom_id":"gate.reason|toy-2:security"') && now
      );
    });
    expect(withButton.content).toContain('rejected by <@200000000000000004>');

    const byErin = h.submit(ERIN, security, 'gate.reason|toy-2:security', { reason: 'I think it is fine' });
    const refusal = await h.answer(byErin);
    expect(refusal.ephemeral).toBe(true);
    expect(refusal.content).toMatch(
      /^⚠️ only Dave .*who rejected the Security sign-off gate, can give its reason/,
    );

    // A form sent with blanks only (Discord lets spaces through its length check) records nothing, and says so.
    const blank = await h.answer(h.submit(DAVE, security, 'gate.reason|toy-2:security', { reason: '   ' }));
    expect(blank).toMatchObject({ ephemeral: true });
    expect(blank.content).toBe(
      'The reason was empty, so nothing was recorded: press **Give the reason** again and write why the gate was rejected.',
    );
    const click = h.click(DAVE, security, 'gate.reason|toy-2:security');
    expect((await formOpenedBy(click.token)).body.data).toMatchObject({
      title: 'Why was the gate rejected?',
    });
    await h.answer(
      h.submit(DAVE, security, 'gate.reason|toy-2:security', { reason: 'CVE-2026-1234 is open' }),
    );
    await h.waitFor('the gate message with the reason', () =>
      current(security)?.content.includes(': CVE-2026-1234 is open'),
    );
    expect(current(security)?.components ?? []).toEqual([]);
    const deployment = await h.preflight().engine.store.get('toy-2');
    expect(deployment?.gates.find((g) => g.id === 'security')?.rejection?.reason).toBe(
      'CVE-2026-1234 is open',
    );
  }, 90_000);
});
