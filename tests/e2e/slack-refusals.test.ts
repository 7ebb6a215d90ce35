/**
 * Slack end to end, the refusals: someone outside `permissions.rollback` presses Roll back on an incident and
 * reacts 🔄 on the deployment thread. Both are refused to them only (the click's response_url, an ephemeral
 * message in the thread), with the same words; nothing public mentions them, and the deployment does not roll back.
 * Where Slack will not whisper to them in the channel, the refusal comes by direct message, recorded once.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { hasStartedAStep } from '../../src/core/index.ts';
import { DEPLOY_CHANNEL, type FakeMessage, INCIDENT_CHANNEL } from '../helpers/fake-slack-api.ts';
import type { SlackHarness } from '../helpers/slack-harness.ts';
import { useSlackSandbox } from '../helpers/slack-sandbox.ts';

const ALICE = 'U0ALICE01';
const BOB = 'U0BOB0001';
const CAROL = 'U0CAROL01';
const DAVE = 'U0DAVE001';

const harness = useSlackSandbox();
let h: SlackHarness;
beforeAll(() => {
  h = harness();
});

const REFUSAL =
  '⚠️ you cannot roll back toy-1: in the toy runbook only Alice Adams (DevOps on-call), Bob Brown (DevOps on-call), Carol Chen (Team lead) may (permissions.rollback)';

const inThread = (root: FakeMessage, text: string) => () =>
  h.fake.messages.find((m) => m.threadTs === root.ts && m.text.includes(text));

describe('a person outside permissions.rollback', () => {
  it('presses Roll back and reacts 🔄: both refused privately, and the deployment is not rolling back', async () => {
    await h.command(ALICE, '/deploy start toy v1.3.0');
    const root = await h.waitFor('the status message', () =>
      h.fake.messages.find((m) => m.channel === DEPLOY_CHANNEL && !m.threadTs && m.text.includes('toy-1')),
    );
    for (const [user, title] of [
      [BOB, '☐ *Release notes reviewed*'],
      [DAVE, '☐ *Dependency scan'],
      [CAROL, '☐ *Support knows'],
    ] as const)
      await h.react(user, await h.waitFor(title, inThread(root, title)), 'white_check_mark');
    await h.waitForState('toy-1', ['awaiting_gates'], 40_000);
    // Roll back is offered once there is something to roll back: the backup step runs after the operations gate.
    const operations = await h.waitFor('operations gate', inThread(root, 'Operations sign-off* gate'));
    for (const user of [BOB, CAROL]) await h.react(user, operations, 'white_check_mark');
    await h.waitFor('the backup step started', async () => {
      const d = await h.preflight.engine.store.get('toy-1');
      return d !== undefined && hasStartedAStep(d);
    });

    await h.command(ALICE, '/incident open toy-1 error rate climbing');
    const incident = await h.waitFor('the incident message', () =>
      h.fake.messages.find(
        (m) =>
          m.channel === INCIDENT_CHANNEL && !m.threadTs && JSON.stringify(m.blocks).includes('Roll back'),
      ),
    );

    const click = await h.click(DAVE, incident, 'rollback.request');
    expect(click.status).toBe(200);
    const clicked = await h.waitFor('the answer to the click', () =>
      h.fake.responses.find((r) => r.tag === click.tag),
    );
    expect(clicked.body).toMatchObject({ response_type: 'ephemeral', text: REFUSAL });

    expect((await h.react(DAVE, root, 'arrows_counterclockwise')).status).toBe(200);
    const whisper = await h.waitFor('the ephemeral answer to the reaction', () =>
      h.fake.calls.find((c) => c.method === 'chat.postEphemeral' && c.params.user === DAVE),
    );
    expect(whisper.params).toMatchObject({ channel: DEPLOY_CHANNEL, thread_ts: root.ts, text: REFUSAL });

    // Nothing was said in public about Dave, and nothing moved.
    await new Promise((r) => setTimeout(r, 1_500));
    const publicPosts = h.fake.calls.filter(
      (c) => c.method === 'chat.postMessage' && JSON.stringify(c.params).includes('cannot roll back'),
    );
    expect(publicPosts).toEqual([]);
    const d = await h.preflight.engine.store.get('toy-1');
    expect(d?.state).not.toBe('rolling_back');
    expect(d?.rollback).toBeUndefined();
    const refusals = (await h.preflight.engine.store.audit('toy-1'))
      .filter((r) => r.type === 'access.refused')
      .map((r) => [r.actor, r.detail.action, r.detail.via, r.detail.code]);
    expect(refusals).toEqual([
      ['dave', 'rollback.request', 'button', 'NOT_PERMITTED'],
      ['dave', 'rollback.request', 'reaction', 'NOT_PERMITTED'],
    ]);
  }, 120_000);

  it('reacts 🔄 where Slack will not whisper to them: refused by direct message, recorded once', async () => {
    const root = h.fake.messages.find(
      (m) => m.channel === DEPLOY_CHANNEL && !m.threadTs && m.text.includes('toy-1'),
    );
    if (!root) throw new Error('no status message');
    const recorded = async () =>
      (await h.preflight.engine.store.audit('toy-1')).filter(
        (r) => r.type === 'access.refused' && r.actor === 'dave',
      ).length;
    const before = await recorded();
    h.fake.fail('chat.postEphemeral', { error: 'user_not_in_channel' }, 1);

    expect((await h.react(DAVE, root, 'arrows_counterclockwise')).status).toBe(200);

    const dm = await h.waitFor('the refusal in Dave’s direct messages', () =>
      h.fake.messages.find((m) => m.channel === `D${DAVE.slice(1)}`),
    );
    expect(dm.text).toBe(REFUSAL);
    await h.waitFor('the inbox to be empty', async () => (await h.preflight.chat.inbox.pending()) === 0);
    expect(h.fake.messages.filter((m) => m.channel === `D${DAVE.slice(1)}`)).toHaveLength(1);
    expect(await recorded()).toBe(before + 1);
    expect((await h.preflight.engine.store.get('toy-1'))?.rollback).toBeUndefined();
  }, 60_000);
});
