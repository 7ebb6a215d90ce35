/**
 * Reject (and *Give the reason*) open a form on Discord before they count. A person who may not reject the gate, or
 * a gate already decided, is answered at once with the refusal, as a press: no form to fill in for nothing.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import type { DiscordHarness } from '../helpers/discord-harness.ts';
import { CAROL, DAVE, ERIN, inThread, openToyGates, useDiscordSandbox } from '../helpers/discord-suite.ts';

const harness = useDiscordSandbox();
let h: DiscordHarness;
beforeAll(() => {
  h = harness();
});

/** Whether the press was answered with a form (a modal callback). */
const formOpened = (token: string) =>
  h.fake.world.answers.some((a) => a.token === token && a.kind === 'callback' && a.body.type === 9);

describe('Reject on Discord pressed by one who may not, or on a decided gate', () => {
  it('is refused at once, naming who may, without opening the form; the gate stays open', async () => {
    const { operations } = await openToyGates(h, 'v1.3.0');
    const click = h.click(ERIN, operations, 'gate.reject|toy-1:operations');
    const answer = await h.answer(click);
    expect(formOpened(click.token)).toBe(false);
    expect(answer.ephemeral).toBe(true);
    expect(answer.content).toMatch(/^⚠️ .*Operations/);
    expect(answer.content).toMatch(/Bob|Carol/);
    const gates = (await h.preflight().engine.store.get('toy-1'))?.gates;
    expect(gates?.find((g) => g.id === 'operations')?.status).toBe('pending');
    // One who may still gets the form.
    const carols = h.click(CAROL, operations, 'gate.reject|toy-1:operations');
    await h.waitFor('the form', () => formOpened(carols.token));
    await h.answer(h.submit(CAROL, operations, 'gate.reject|toy-1:operations', { reason: 'not today' }));
    await h.waitForState('toy-1', ['failed']);
  }, 90_000);

  it('refuses Give the reason at once to one who did not reject, and Reject on a deployment that has stopped', async () => {
    const { root, security, operations } = await openToyGates(h, 'v1.3.1');
    h.react(DAVE, security, '❌');
    await h.waitFor('the request for the reason', inThread(h, root.id, 'Please give the reason'));
    const byErin = h.click(ERIN, security, 'gate.reason|toy-2:security');
    const refusal = await h.answer(byErin);
    expect(formOpened(byErin.token)).toBe(false);
    expect(refusal.content).toMatch(
      /^⚠️ only Dave .*who rejected the Security sign-off gate, can give its reason/,
    );
    // The ❌ stopped the deployment: its other gate is decided by that, and Reject there opens no form either.
    await h.waitForState('toy-2', ['failed']);
    const again = h.click(CAROL, operations, 'gate.reject|toy-2:operations');
    const decided = await h.answer(again);
    expect(formOpened(again.token)).toBe(false);
    expect(decided.ephemeral).toBe(true);
    expect(decided.content).toMatch(/^⚠️ .*toy-2/);
  }, 90_000);
});
