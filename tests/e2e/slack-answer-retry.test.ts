/**
 * The answer to a slash command goes to its response_url. When Slack fails that POST (5xx, or the connection is
 * cut), the answer is sent again there once Slack takes it: the channel hears a public answer once, the command
 * takes effect once, and the person is not answered twice. One that has expired (older than 30 minutes) is
 * answered saying what came of the command: an answer meant for the person privately, in the channel or, where that
 * is refused, by direct message; one meant for the channel in the channel, naming the person (by direct message
 * where the channel refuses it). One that Slack rate-limits is sent again no sooner than its Retry-After.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { DEPLOY_CHANNEL, RESPONSE_URL, type ResponseFault } from '../helpers/fake-slack-api.ts';
import { ANN, BEN, oneGateRunbook } from '../helpers/one-gate-runbook.ts';
import type { SlackHarness } from '../helpers/slack-harness.ts';
import { useSlackSuite } from '../helpers/slack-suite.ts';

const suite = useSlackSuite(oneGateRunbook('svc', { staging: true }));
let h: SlackHarness;
beforeAll(() => {
  h = suite.h;
});

const AGAIN = "🔁 Preflight's answer again (Slack did not confirm the first; nothing was done twice): ";
const LOCKED = /^🔒 svc (production|staging) locked by Ann for .*: freeze\. \/deploy unlock svc/;

describe('a command whose response_url Slack fails', () => {
  it.each([
    ['answers 5xx', 'production', { status: 500 }],
    ['cuts the connection', 'staging', { drop: true }],
  ] as const)(
    'is answered in the channel once Slack takes it, when the response_url %s',
    async (_name, env, fault: ResponseFault) => {
      h.fake.fail(RESPONSE_URL, fault, 2);

      const { tag, status } = await h.command(ANN, `/deploy lock svc ${env} freeze`);
      expect(status).toBe(200);

      const answer = await h.waitFor('the answer at the response_url', () =>
        h.fake.responses.find((r) => r.tag === tag),
      );
      expect(answer.body).toMatchObject({ response_type: 'in_channel' });
      // Its first handling's words: handled again, the lock it took is not "already locked".
      expect(String(answer.body.text)).toMatch(LOCKED);
      await h.waitFor('the inbox to be empty', async () => (await h.preflight.chat.inbox.pending()) === 0);
      expect(h.fake.responses.filter((r) => r.tag === tag)).toHaveLength(1);
      expect(h.fake.calls.filter((c) => c.method === 'chat.postEphemeral' && c.params.user === ANN)).toEqual(
        [],
      );
    },
    60_000,
  );
});

describe('a command whose response_url has expired (answered after its 30 minutes)', () => {
  const LATE = "⚠️ Slack no longer takes Preflight's answer to ";
  const toAnn = () => h.fake.calls.filter((c) => c.method === 'chat.postEphemeral' && c.params.user === ANN);
  const inDm = () =>
    h.fake.messages.filter((m) => m.channel === `D${ANN.slice(1)}` && m.text.startsWith(LATE));

  it('tells the person privately in the channel what came of an answer meant for them', async () => {
    h.fake.fail(RESPONSE_URL, { status: 404 }, 1);

    const { tag } = await h.command(ANN, '/deploy history svc');

    const told = await h.waitFor('the late answer to Ann', () =>
      toAnn().find((c) => c.status === 200 && String(c.params.text).includes('/deploy history svc')),
    );
    expect(told.params).toMatchObject({ channel: DEPLOY_CHANNEL, user: ANN });
    const text = String(told.params.text);
    expect(text.startsWith(LATE)).toBe(true);
    expect(text).toContain('no need to do it again): No deployments of svc yet.');
    expect(h.fake.responses.filter((r) => r.tag === tag)).toEqual([]);
  }, 60_000);

  it('tells them by direct message where Preflight cannot whisper in that channel', async () => {
    h.fake.fail(RESPONSE_URL, { status: 404 }, 1);
    h.fake.fail('chat.postEphemeral', { error: 'channel_not_found' }, 1);

    await h.command(ANN, '/deploy history');

    const dm = await h.waitFor('the late answer in Ann’s direct messages', () =>
      inDm().find((m) => m.text.includes('/deploy history')),
    );
    expect(dm.text).toContain('no need to do it again): No deployments yet.');
    await h.waitFor('the inbox to be empty', async () => (await h.preflight.chat.inbox.pending()) === 0);
    expect(h.fake.messages.filter((m) => m.text.includes('No deployments yet.'))).toHaveLength(1);
  }, 60_000);

  it('says an answer meant for the channel in the channel, naming the person, once', async () => {
    h.fake.fail(RESPONSE_URL, { status: 404 }, 1);

    const { tag } = await h.command(ANN, '/deploy unlock svc production');

    const said = await h.waitFor('the late answer in the channel', () =>
      h.fake.messages.find((m) => m.channel === DEPLOY_CHANNEL && m.text.includes('svc production unlocked')),
    );
    expect(said.threadTs).toBeUndefined();
    expect(said.text.startsWith(`<@${ANN}> ${LATE}`)).toBe(true);
    expect(said.text).toContain('/deploy unlock svc production');
    expect(said.text).toContain('no need to do it again): 🔓 svc production unlocked.');
    // Posted by the send queue, which marks each post with its delivery id.
    expect(said.metadata?.event_payload).toEqual({ delivery: `answer:slack:command:trigger-${tag}` });
    await h.waitFor('the inbox to be empty', async () => (await h.preflight.chat.inbox.pending()) === 0);
    await h.preflight.chat.queue.idle();
    expect(h.fake.messages.filter((m) => m.text.includes('svc production unlocked'))).toHaveLength(1);
    expect(toAnn().filter((c) => String(c.params.text).includes('svc production unlocked'))).toEqual([]);
    expect(h.fake.responses.filter((r) => r.tag === tag)).toEqual([]);
  }, 60_000);

  it('tells the person by direct message when the channel refuses that answer', async () => {
    h.fake.fail(RESPONSE_URL, { status: 404 }, 1);
    h.fake.refuse(DEPLOY_CHANNEL, 'not_in_channel');
    try {
      await h.command(ANN, '/deploy unlock svc staging');

      const dm = await h.waitFor('the late answer in Ann’s direct messages', () =>
        inDm().find((m) => m.text.includes('svc staging unlocked')),
      );
      expect(dm.text).toContain('no need to do it again): 🔓 svc staging unlocked.');
      await h.preflight.chat.queue.idle();
    } finally {
      h.fake.refuse(DEPLOY_CHANNEL, undefined);
    }
    expect(h.fake.messages.filter((m) => m.text.includes('svc staging unlocked'))).toHaveLength(1);
  }, 60_000);

  it('posts that answer once when Slack posted it but failed to say so', async () => {
    h.fake.fail(RESPONSE_URL, { status: 404 }, 1);
    h.fake.fail('chat.postMessage', { status: 500, applied: true }, 1);

    await h.command(ANN, '/deploy lock svc staging late freeze');

    await h.waitFor('the late answer in the channel', () =>
      h.fake.messages.find((m) => m.channel === DEPLOY_CHANNEL && m.text.includes('svc staging locked')),
    );
    await h.waitFor('the inbox to be empty', async () => (await h.preflight.chat.inbox.pending()) === 0);
    await h.preflight.chat.queue.idle();
    expect(h.fake.messages.filter((m) => m.text.includes('svc staging locked'))).toHaveLength(1);
    expect(h.fake.calls.filter((c) => c.method === 'conversations.history').length).toBeGreaterThan(0);
  }, 60_000);
});

describe('a command whose response_url Slack rate-limits (429 with Retry-After)', () => {
  const limited = () => h.fake.calls.filter((c) => c.method === RESPONSE_URL && c.status === 429);

  it('is answered there once, no sooner than Slack said', async () => {
    const before = limited().length;
    h.fake.fail(RESPONSE_URL, { status: 429, retryAfter: 2 }, 1);

    const { tag } = await h.command(ANN, '/deploy lock svc production thaw later');

    const answer = await h.waitFor('the answer at the response_url', () =>
      h.fake.responses.find((r) => r.tag === tag),
    );
    const refused = limited()[before];
    expect(refused).toBeDefined();
    expect(answer.at - (refused?.at ?? 0)).toBeGreaterThanOrEqual(2_000 - 10);
    // Slack took nothing the first time: nothing to replace.
    expect(answer.body).toMatchObject({ response_type: 'in_channel', replace_original: false });
    await h.waitFor('the inbox to be empty', async () => (await h.preflight.chat.inbox.pending()) === 0);
    expect(h.fake.responses.filter((r) => r.tag === tag)).toHaveLength(1);
  }, 60_000);

  it('is answered as an expired one when Slack asks for longer than the response_url lasts', async () => {
    h.fake.fail(RESPONSE_URL, { status: 429, retryAfter: 3_600 }, 1);

    const { tag } = await h.command(ANN, '/deploy help');

    const told = await h.waitFor('the late answer to Ann', () =>
      h.fake.calls.find(
        (c) =>
          c.method === 'chat.postEphemeral' &&
          c.params.user === ANN &&
          String(c.params.text).includes('/deploy help'),
      ),
    );
    expect(String(told.params.text)).toMatch(/^⚠️ Slack no longer takes Preflight's answer to /);
    await h.waitFor('the inbox to be empty', async () => (await h.preflight.chat.inbox.pending()) === 0);
    expect(h.fake.responses.filter((r) => r.tag === tag)).toEqual([]);
  }, 60_000);
});

describe('an answer that Slack took at the response_url but confirmed too late (the post timed out)', () => {
  it('shows a command’s answer once: sent again, it replaces the first', async () => {
    h.fake.fail(RESPONSE_URL, { lateMs: 15_000 }, 1);

    const { tag } = await h.command(ANN, '/deploy unlock svc production');

    await h.waitFor('the answer sent again', () => h.fake.responses.filter((r) => r.tag === tag)[1], 40_000);
    await h.waitFor('the inbox to be empty', async () => (await h.preflight.chat.inbox.pending()) === 0);
    const shown = h.fake.shown(tag);
    expect(shown).toHaveLength(1);
    expect(shown[0]).toMatchObject({ response_type: 'in_channel', text: '🔓 svc production unlocked.' });
  }, 60_000);

  it('marks a click’s answer sent again as the same answer, and the click counts once', async () => {
    await h.command(ANN, '/deploy start svc v1.0.0');
    const gate = await h.waitFor('the gate message', () =>
      h.fake.messages.find((m) => m.channel === DEPLOY_CHANNEL && m.text.includes('*Go* gate')),
    );
    h.fake.fail(RESPONSE_URL, { lateMs: 15_000 }, 1);

    const { tag } = await h.click(BEN, gate, 'gate.approve');

    const again = await h.waitFor(
      'the answer sent again',
      () => h.fake.responses.filter((r) => r.tag === tag)[1],
      40_000,
    );
    const first = h.fake.responses.filter((r) => r.tag === tag)[0];
    expect(first?.body).toMatchObject({ response_type: 'ephemeral', replace_original: false });
    expect(again.body).toMatchObject({ response_type: 'ephemeral', replace_original: false });
    expect(String(again.body.text)).toBe(`${AGAIN}${String(first?.body.text)}`);
    await h.waitFor('the inbox to be empty', async () => (await h.preflight.chat.inbox.pending()) === 0);
    expect((await h.preflight.engine.store.get('svc-1'))?.gates[0]?.approvals).toHaveLength(1);
  }, 90_000);
});
