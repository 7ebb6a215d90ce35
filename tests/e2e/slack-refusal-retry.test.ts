/**
 * A refused reaction on Slack is told to its person as an ephemeral message in the thread. When Slack fails that
 * message (5xx, rate limit), the person still hears it once Slack takes it, once, and the refusal is recorded once.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { DEPLOY_CHANNEL, type FakeMessage } from '../helpers/fake-slack-api.ts';
import { ANN, oneGateRunbook } from '../helpers/one-gate-runbook.ts';
import type { SlackHarness } from '../helpers/slack-harness.ts';
import { useSlackSuite } from '../helpers/slack-suite.ts';

const EVE = 'U0EVE0001';
const suite = useSlackSuite(oneGateRunbook('svc'));
let h: SlackHarness;
let gate: FakeMessage;
beforeAll(async () => {
  h = suite.h;
  await h.command(ANN, '/deploy start svc v1.0.0');
  gate = await h.waitFor('the gate message', () =>
    h.fake.messages.find((m) => m.channel === DEPLOY_CHANNEL && m.text.includes('*Go* gate')),
  );
});

const toEve = () =>
  h.fake.calls.filter(
    (c) =>
      c.method === 'chat.postEphemeral' && c.params.user === EVE && c.status === 200 && c.error === undefined,
  );
const refusals = async () =>
  (await h.preflight.engine.store.audit('svc-1')).filter((r) => r.type === 'access.refused');

describe('a refused ✅ whose ephemeral answer Slack fails', () => {
  it.each([
    ['a 5xx', { status: 500 } as const],
    ['a rate limit', { status: 429, retryAfter: 0 } as const],
  ])(
    'reaches the person once Slack takes it after %s, recorded once',
    async (_name, fault) => {
      const before = { said: toEve().length, recorded: (await refusals()).length };
      h.fake.fail('chat.postEphemeral', fault, 2);

      expect((await h.react(EVE, gate, 'white_check_mark')).status).toBe(200);

      const said = await h.waitFor('the refusal to Eve', () => toEve()[before.said]);
      expect(said.params).toMatchObject({ channel: DEPLOY_CHANNEL, user: EVE, thread_ts: gate.threadTs });
      expect(String(said.params.text)).toMatch(/^⚠️ /);
      await h.waitFor('the inbox to be empty', async () => (await h.preflight.chat.inbox.pending()) === 0);
      expect(toEve()).toHaveLength(before.said + 1);
      expect(await refusals()).toHaveLength(before.recorded + 1);
      expect((await h.preflight.engine.store.get('svc-1'))?.gates[0]?.approvals).toEqual([]);
    },
    60_000,
  );
});

describe('a refused ✅ whose ephemeral answer Slack refuses for good', () => {
  const inDm = () => h.fake.messages.filter((m) => m.channel === `D${EVE.slice(1)}`);

  it.each(['channel_not_found', 'not_in_channel', 'user_not_in_channel'])(
    'reaches the person by direct message when Slack answers %s, recorded once',
    async (error) => {
      const before = { dms: inDm().length, recorded: (await refusals()).length, said: toEve().length };
      h.fake.fail('chat.postEphemeral', { error }, 1);

      expect((await h.react(EVE, gate, 'white_check_mark')).status).toBe(200);

      const dm = await h.waitFor('the refusal in Eve’s direct messages', () => inDm()[before.dms]);
      expect(dm.text).toMatch(
        /^⚠️ your slack user id \(U0EVE0001\) is not among the people of the svc runbook/,
      );
      await h.waitFor('the inbox to be empty', async () => (await h.preflight.chat.inbox.pending()) === 0);
      expect(inDm()).toHaveLength(before.dms + 1);
      expect(toEve()).toHaveLength(before.said);
      expect(await refusals()).toHaveLength(before.recorded + 1);
      const publicPosts = h.fake.messages.filter(
        (m) => m.channel === DEPLOY_CHANNEL && m.text.includes('EVE'),
      );
      expect(publicPosts).toEqual([]);
    },
    60_000,
  );
});
