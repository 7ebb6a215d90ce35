/**
 * Discord failing (HTTP 500, longer than discord.js's own retries) on the answer to a click or a command: the inbox
 * handles the entry again, so the person is answered once Discord is back; what they did takes effect once, and
 * the answer says what it did (not "already counted", as if the click were a repeat of an earlier one).
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { newInteractionIds } from '../helpers/discord-events.ts';
import type { DiscordHarness } from '../helpers/discord-harness.ts';
import { ALICE, BOB, openToyGates, useDiscordSandbox } from '../helpers/discord-suite.ts';

const harness = useDiscordSandbox();
let h: DiscordHarness;
beforeAll(() => {
  h = harness();
});

/** discord.js tries a request 4 times on 5xx: Discord fails all of them. */
const BAD_MOMENT = 4;
const original = (token: string) => new RegExp(`^/webhooks/\\d+/${token}/messages/(?:@|%40)original$`);
const statuses = (route: RegExp, method: string) =>
  h.fake.world.calls.filter((c) => c.method === method && route.test(c.path)).map((c) => c.status);
const auditTypes = async (type: string) =>
  (await h.preflight().engine.store.audit('toy-1')).filter((r) => r.type === type);

describe('an answer Discord fails with 5xx', () => {
  it('Approve: answered once Discord is back, with the approval it counted, counted once', async () => {
    const { operations } = await openToyGates(h, 'v1.3.0');
    const ids = newInteractionIds();
    const route = original(ids.token);
    h.fake.failNext(route, 500, BAD_MOMENT);

    const sent = h.click(BOB, operations, 'gate.approve|toy-1:operations', ids);

    const answer = await h.answer(sent);
    expect(answer.content).toBe('approval counted for the Operations sign-off gate: 1 of 2');
    expect(statuses(route, 'PATCH')).toEqual([500, 500, 500, 500, 200]);
    const gate = (await h.preflight().engine.store.get('toy-1'))?.gates.find((g) => g.id === 'operations');
    expect(gate?.approvals.map((a) => a.by)).toEqual(['bob']);
    expect(await auditTypes('gate.approval')).toHaveLength(1);
  }, 120_000);

  it('/deploy pause: the channel hears it once Discord is back, and it pauses once', async () => {
    const ids = newInteractionIds();
    const route = new RegExp(`^/webhooks/\\d+/${ids.token}$`);
    h.fake.failNext(route, 500, BAD_MOMENT);

    const sent = h.command(ALICE, 'deploy', 'pause', { id: 'toy-1' }, { ids });

    const answer = await h.answer(sent);
    expect(answer).toMatchObject({
      kind: 'followup',
      content: 'toy-1: paused: a running step finishes, no new step starts until /deploy resume.',
    });
    expect(statuses(route, 'POST')).toEqual([500, 500, 500, 500, 200]);
    expect(await auditTypes('deployment.paused')).toHaveLength(1);
  }, 60_000);
});
