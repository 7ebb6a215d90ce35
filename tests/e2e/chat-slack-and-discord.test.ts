/**
 * One Preflight (the adapters `preflight start` picks) with Slack and Discord configured against one runbook: each deployment is reported on the
 * platform it was started from, and an incident goes to the incident channel of the platform it came from.
 */
import { join } from 'node:path';
import { PassThrough, Readable } from 'node:stream';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type ChatAdapters, startChatAdapters } from '../../src/cli/chat-adapters.ts';
import { readConfig } from '../../src/config/config.ts';
import { createHttpServer, type HttpServer } from '../../src/infra/http/http-server.ts';
import { createPreflight, type Preflight } from '../../src/main.ts';
import { newInteractionIds, slashInteraction } from '../helpers/discord-events.ts';
import { FAST_TUNING } from '../helpers/engine-harness.ts';
import {
  APPLICATION_ID,
  DEPLOY_CHANNEL_ID,
  type FakeDiscord,
  GUILD_ID,
  startFakeDiscord,
} from '../helpers/fake-discord.ts';
import {
  DEPLOY_CHANNEL,
  type FakeSlackApi,
  INCIDENT_CHANNEL,
  startFakeSlackApi,
} from '../helpers/fake-slack-api.ts';
import { createTestPrefix, startTestRedis, type TestRedis } from '../helpers/redis-server.ts';
import { copySandbox, type SandboxCopy } from '../helpers/sandbox-copy.ts';
import { postToSlackEndpoint, SIGNING_SECRET, slashCommand } from '../helpers/signed-slack.ts';
import { waitFor } from '../helpers/slack-harness.ts';

const ALICE_DISCORD = '200000000000000001';

let redis: TestRedis;
let sandbox: SandboxCopy;
let slack: FakeSlackApi;
let discord: FakeDiscord;
let preflight: Preflight;
let http: HttpServer;
let adapters: ChatAdapters;
let base: string;

beforeAll(async () => {
  redis = await startTestRedis();
  sandbox = await copySandbox();
  slack = await startFakeSlackApi();
  discord = await startFakeDiscord();
  const env = { PATH: process.env.PATH ?? '/usr/bin:/bin', HOME: process.env.HOME ?? '/tmp' };
  const config = readConfig({
    ...env,
    REDIS_URL: redis.url,
    RUNBOOK: join(sandbox.dir, 'runbook.yaml'),
    LOG_LEVEL: 'silent',
    SLACK_BOT_TOKEN: 'xoxb-test-token-1234',
    SLACK_SIGNING_SECRET: SIGNING_SECRET,
    SLACK_API_URL: slack.apiUrl,
    DISCORD_TOKEN: discord.token,
    DISCORD_APPLICATION_ID: APPLICATION_ID,
    DISCORD_GUILD_ID: GUILD_ID,
    DISCORD_API_URL: discord.apiUrl,
  });
  preflight = await createPreflight({
    config,
    env,
    work: true,
    prefix: createTestPrefix(),
    tuning: FAST_TUNING,
  });
  http = createHttpServer({
    ready: async () => ({ ok: true, checks: {} }),
    metrics: async () => ({ contentType: 'text/plain', body: '' }),
    log: preflight.logger,
  });
  // The adapters as `preflight start` chooses them.
  adapters = await startChatAdapters(preflight, config, http, {
    consoleUser: '',
    input: Readable.from([]),
    output: new PassThrough(),
  });
  preflight.chat.queue.start();
  base = `http://127.0.0.1:${await http.listen(0, '127.0.0.1')}`;
}, 60_000);

afterAll(async () => {
  await adapters?.stop();
  await http?.close();
  await preflight?.stop();
  await discord?.close();
  await slack?.close();
  await sandbox?.remove();
  await redis?.stop();
});

describe('Slack and Discord in one process', () => {
  it('reports each deployment where it was started, and an incident in the incident channel of the platform it was declared on', async () => {
    const deployChannel = discord.world.channels.get(DEPLOY_CHANNEL_ID);
    if (!deployChannel) throw new Error('the fake has no deploy channel');
    discord.gateway.dispatch(
      'INTERACTION_CREATE',
      slashInteraction(newInteractionIds(), ALICE_DISCORD, deployChannel, 'deploy', 'start', {
        service: 'toy',
        version: 'v1.3.0',
        environment: 'production',
      }),
    );
    const onDiscord = await waitFor('the Discord status message', () =>
      discord.world.messages.find((m) => m.channel_id === DEPLOY_CHANNEL_ID && m.content.includes('(toy-1)')),
    );
    const slackStart = slashCommand({
      user: 'U0ALICE01',
      command: '/deploy',
      text: 'start toy v1.3.0 staging',
      channel: DEPLOY_CHANNEL,
      responseUrl: slack.responseUrl('start'),
      triggerId: 'trigger-start-staging',
    });
    expect((await postToSlackEndpoint(`${base}/slack/events`, slackStart)).status).toBe(200);
    const onSlack = await waitFor('the Slack status message', () =>
      slack.messages.find((m) => m.channel === DEPLOY_CHANNEL && !m.threadTs && m.text.includes('toy-2')),
    );
    expect(onSlack.text).toContain('staging');
    expect(onDiscord.content).toContain('production');
    expect(slack.messages.some((m) => m.text.includes('(toy-1)'))).toBe(false);
    expect(discord.world.messages.some((m) => m.content.includes('(toy-2)'))).toBe(false);

    // An incident declared on Slack goes to Slack's incident channel, whichever deployment it is about.
    const open = slashCommand({
      user: 'U0ALICE01',
      command: '/incident',
      text: 'open toy-2 the staging toy answers 500',
      channel: INCIDENT_CHANNEL,
      responseUrl: slack.responseUrl('incident'),
      triggerId: 'trigger-incident',
    });
    expect((await postToSlackEndpoint(`${base}/slack/events`, open)).status).toBe(200);
    await waitFor('the incident on Slack', () =>
      slack.messages.find((m) => m.channel === INCIDENT_CHANNEL && m.text.includes('INC-1')),
    );
    expect(discord.world.messages.some((m) => m.content.includes('INC-1'))).toBe(false);
  }, 90_000);
  it('starts one deployment when the same person starts it on Slack and on Discord at once, and tells the other where it runs', async () => {
    // The deployments of the test above end, freeing both environments.
    for (const id of ['toy-1', 'toy-2']) {
      const abort = slashCommand({
        user: 'U0ALICE01',
        command: '/deploy',
        text: `abort ${id}`,
        channel: DEPLOY_CHANNEL,
        responseUrl: slack.responseUrl(`abort-${id}`),
        triggerId: `trigger-abort-${id}`,
      });
      expect((await postToSlackEndpoint(`${base}/slack/events`, abort)).status).toBe(200);
    }
    await waitFor('toy-1 and toy-2 aborted', async () => {
      const states = await Promise.all(
        ['toy-1', 'toy-2'].map(async (id) => (await preflight.engine.store.get(id))?.state),
      );
      return states.every((s) => s === 'aborted');
    });
    const deployChannel = discord.world.channels.get(DEPLOY_CHANNEL_ID);
    if (!deployChannel) throw new Error('the fake has no deploy channel');
    const ids = newInteractionIds();
    const slackStart = slashCommand({
      user: 'U0ALICE01',
      command: '/deploy',
      text: 'start toy v1.3.1 production',
      channel: DEPLOY_CHANNEL,
      responseUrl: slack.responseUrl('start-at-once'),
      triggerId: 'trigger-start-at-once',
    });
    await Promise.all([
      postToSlackEndpoint(`${base}/slack/events`, slackStart),
      discord.gateway.dispatch(
        'INTERACTION_CREATE',
        slashInteraction(ids, ALICE_DISCORD, deployChannel, 'deploy', 'start', {
          service: 'toy',
          version: 'v1.3.1',
          environment: 'production',
        }),
      ),
    ]);
    const onSlack = String(
      (await waitFor('the Slack answer', () => slack.responses.find((r) => r.tag === 'start-at-once')))?.body
        .text,
    );
    const onDiscord = String(
      (
        await waitFor('the Discord answer', () =>
          discord.world.answers.find(
            (a) =>
              a.token === ids.token &&
              (a.kind === 'edit' || a.kind === 'followup' || a.kind === 'callback') &&
              JSON.stringify(a.body).includes('toy-3'),
          ),
        )
      ).body.content ?? JSON.stringify(discord.world.answers.filter((a) => a.token === ids.token)),
    );
    const answers = [onSlack, onDiscord];
    expect(answers.filter((a) => a.startsWith('Starting toy-3: toy v1.3.1 → production'))).toHaveLength(1);
    expect(
      answers.filter((a) => a.includes('toy production is busy with deployment toy-3 (v1.3.1 by Alice')),
    ).toHaveLength(1);
    expect(answers.find((a) => a.includes('is busy'))).toContain('/deploy abort toy-3');
    expect(await preflight.engine.store.get('toy-4')).toBeUndefined();
  }, 90_000);
});
