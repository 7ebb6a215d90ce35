/**
 * Slack end to end: the real Bolt app on Preflight's HTTP server, driven only by signed HTTP requests built from
 * real-shaped payloads, posting to a fake Slack Web API. A whole sandbox deployment: checklist ticked by reaction
 * and by button, gates approved by reaction and by button, steps, verification, monitoring.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { DEPLOY_CHANNEL, type FakeMessage } from '../helpers/fake-slack-api.ts';
import { slackFixture, slashCommand } from '../helpers/signed-slack.ts';
import type { SlackHarness } from '../helpers/slack-harness.ts';
import { useSlackSandbox } from '../helpers/slack-sandbox.ts';
import { expectToyMonitoredByItsPeople } from '../helpers/toy-deployed-by-hand.ts';

const ALICE = 'U0ALICE01';
const BOB = 'U0BOB0001';
const CAROL = 'U0CAROL01';
const DAVE = 'U0DAVE001';

const harness = useSlackSandbox();
let h: SlackHarness;
beforeAll(() => {
  h = harness();
});

const replyTo = (tag: string) => h.fake.responses.find((r) => r.tag === tag)?.body;
const inThread = (root: FakeMessage, text: string) => () =>
  h.fake.messages.find((m) => m.threadTs === root.ts && m.text.includes(text));

describe('Slack request verification', () => {
  it('answers url_verification, and refuses forged or stale requests with 401 without acting on them', async () => {
    const challenge = slackFixture('url-verification');
    const verified = await h.send({ body: JSON.stringify(challenge), contentType: 'application/json' });
    expect(verified.status).toBe(200);
    expect(JSON.parse(verified.body)).toEqual({ challenge: challenge.challenge });

    const request = slashCommand({
      user: ALICE,
      command: '/deploy',
      text: 'start toy v1.3.0',
      channel: DEPLOY_CHANNEL,
      responseUrl: h.fake.responseUrl('forged'),
      triggerId: 'trigger-forged',
    });
    const calls = h.fake.calls.length;
    const forged = await h.send(request, { secret: 'not-the-signing-secret' });
    const tampered = await h.send(
      { ...request, body: request.body.replace('v1.3.0', 'v6.6.6') },
      { signature: `v0=${'0'.repeat(64)}` },
    );
    const stale = await h.send(request, { timestamp: Math.floor(Date.now() / 1000) - 6 * 60 });
    expect([forged.status, tampered.status, stale.status]).toEqual([401, 401, 401]);
    await new Promise((r) => setTimeout(r, 300));
    expect(await h.preflight.engine.store.list({ activeOnly: false, limit: 10 })).toEqual([]);
    expect(h.fake.responses).toEqual([]);
    expect(h.fake.calls.length).toBe(calls);
  });
});

describe('answers', () => {
  it('tells a person the runbook does not know, privately, without starting anything', async () => {
    const start = await h.command('U0NOBODY1', '/deploy start toy v1.3.0');
    expect(start.status).toBe(200);
    const reply = await h.waitFor('the refusal', () => replyTo(start.tag));
    expect(reply).toMatchObject({ response_type: 'ephemeral' });
    expect(String(reply.text)).toBe(
      '⚠️ your slack user id (U0NOBODY1) is not among the people of the toy runbook, so Preflight does not know who you are there; ask a maintainer to add you under people: — in the toy runbook only Alice Adams (DevOps on-call), Bob Brown (DevOps on-call), Carol Chen (Team lead) may start a deployment (permissions.deploy)',
    );
    expect(await h.preflight.engine.store.list({ activeOnly: false, limit: 10 })).toEqual([]);
  });
});

describe('a whole deployment from Slack', () => {
  it('starts by slash command, ticks the checklist and passes gates by reaction and by button, ends monitoring', async () => {
    const start = await h.command(ALICE, '/deploy start toy v1.3.0');
    expect(start.status).toBe(200);
    expect(start.ms).toBeLessThan(3_000);
    const startReply = await h.waitFor('the /deploy start reply', () => replyTo(start.tag));
    // The status message is the channel's one top-level message about it; the reply is for the requester only.
    expect(startReply).toMatchObject({ response_type: 'ephemeral' });
    expect(String(startReply.text)).toContain('Starting toy-1: toy v1.3.0 → production');

    const root = await h.waitFor('the status message', () =>
      h.fake.messages.find(
        (m) => m.channel === DEPLOY_CHANNEL && !m.threadTs && m.text.includes('toy v1.3.0'),
      ),
    );
    const releaseNotes = await h.waitFor('release notes item', inThread(root, '☐ *Release notes reviewed*'));
    expect(releaseNotes.text).toContain('<@U0ALICE01>');
    const scan = await h.waitFor('security scan item', inThread(root, '☐ *Dependency scan'));
    const support = await h.waitFor('support item', inThread(root, '☐ *Support knows'));

    expect((await h.react(BOB, releaseNotes, 'white_check_mark')).status).toBe(200);
    expect((await h.react(DAVE, scan, 'white_check_mark::skin-tone-3')).status).toBe(200);
    const tick = await h.click(CAROL, support, 'checklist.tick');
    expect(tick.status).toBe(200);
    expect(tick.ms).toBeLessThan(3_000);

    const security = await h.waitFor('security gate', inThread(root, 'Security sign-off* gate'), 40_000);
    const operations = await h.waitFor('operations gate', inThread(root, 'Operations sign-off* gate'));
    expect(security.text).toContain('<@U0DAVE001>');
    expect(security.blocks).toContainEqual(
      expect.objectContaining({
        type: 'actions',
        elements: [
          expect.objectContaining({ action_id: 'gate.approve', value: 'toy-1:security', style: 'primary' }),
          expect.objectContaining({ action_id: 'gate.reject', value: 'toy-1:security', style: 'danger' }),
        ],
      }),
    );

    await h.react(DAVE, security, 'white_check_mark');
    const byBob = await h.click(BOB, operations, 'gate.approve');
    const bobReply = await h.waitFor('the reply to Bob', () => replyTo(byBob.tag));
    expect(bobReply).toMatchObject({ response_type: 'ephemeral', replace_original: false });
    expect(String(bobReply.text)).toContain('approval counted for the Operations sign-off gate: 1 of 2');
    const byCarol = await h.click(CAROL, operations, 'gate.approve');
    expect(String((await h.waitFor('the reply to Carol', () => replyTo(byCarol.tag))).text)).toContain(
      'gate approved (2 of 2)',
    );

    await expectToyMonitoredByItsPeople(h);
    const audit = (await h.preflight.engine.store.audit('toy-1')).map((r) => r.type);
    expect(audit).toEqual(
      expect.arrayContaining(['deployment.authorized', 'step.succeeded', 'deployment.monitoring']),
    );

    // The thread tells the story: every step's result, the authorization record, the hand-over to monitoring.
    await h.waitFor('the monitoring report', inThread(root, '*Report*'), 20_000);
    const thread = h.fake.messages.filter((m) => m.threadTs === root.ts).map((m) => m.text);
    for (const text of [
      'Deployment authorized',
      'Back up the database',
      'Run the schema migration',
      'Deploy the new version',
      'Smoke-test the new version',
    ])
      expect(thread.some((t) => t.includes(text))).toBe(true);
    expect(h.fake.message(DEPLOY_CHANNEL, releaseNotes.ts)?.text).toContain('done by <@U0BOB0001>');
    expect(root.updates).toBeGreaterThan(0);

    // Posts keep Slack's pace of one a second in the channel; edits keep their own (chat.update is another tier).
    for (const method of ['chat.postMessage', 'chat.update']) {
      const paced = h.fake.calls.filter((c) => c.method === method && c.params.channel === DEPLOY_CHANNEL);
      const gaps = paced.slice(1).map((c, i) => c.at - (paced[i]?.at ?? 0));
      expect(paced.length).toBeGreaterThan(1);
      expect(Math.min(...gaps)).toBeGreaterThanOrEqual(1_000 - 10);
    }

    const abort = await h.command(ALICE, '/deploy abort toy-1');
    expect(abort.status).toBe(200);
    await h.waitForState('toy-1', ['aborted'], 20_000);

    // The final report carries the deployment's timeline picture, uploaded into the thread.
    const upload = await h.waitFor(
      'the timeline picture',
      () =>
        h.fake.calls.find(
          (c) =>
            c.method === 'files.completeUploadExternal' &&
            JSON.stringify(c.params.files).includes('toy-1-timeline.png'),
        ),
      30_000,
    );
    expect(upload.params.thread_ts).toBe(root.ts);
    expect(upload.params.channel_id).toBe(DEPLOY_CHANNEL);
    const fileId = (upload.params.files as { id: string }[])[0]?.id;
    // A multipart upload of the PNG bytes: its signature and header chunk are in the body.
    expect(h.fake.uploads.find((u) => u.fileId === fileId)?.raw).toMatch(/PNG\r\n[\s\S]*IHDR/);
  }, 120_000);
});
