/**
 * The real `preflight start` on Discord, SIGKILLed twice for one interaction: first before Discord got its
 * acknowledgement (so the answer can no longer be given through the interaction), then, after a restart, right after
 * Discord took the answer posted outside it (a direct message, or a post in the channel) and before Preflight heard
 * so. The next restart handles the interaction again: the person, and the channel, see the answer once.
 */
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { newInteractionIds, slashInteraction } from '../helpers/discord-events.ts';
import {
  APPLICATION_ID,
  DEPLOY_CHANNEL_ID,
  type FakeDiscord,
  type FakeDiscordMessage,
  GUILD_ID,
  startFakeDiscord,
} from '../helpers/fake-discord.ts';
import { startTestRedis, type TestRedis } from '../helpers/redis-server.ts';
import { waitFor } from '../helpers/slack-harness.ts';
import { type RunningBot, spawnStart } from '../helpers/spawn-start.ts';

const ANN = '210000000000000001';
const BEN = '210000000000000002';

const RUNBOOK = `version: 1
service: svc
timezone: UTC
environments: { production: { default: true }, staging: {} }
channels: { deploy: "#deployments", incident: "#incident-response" }
people:
  ann: { name: Ann, discord: "${ANN}" }
  ben: { name: Ben, discord: "${BEN}" }
groups: { ops: [ann, ben] }
permissions: { deploy: [ops], rollback: [ops] }
steps:
  - { id: build, title: Build, run: "true" }
escalation: { levels: [{ id: L1, notify: [ann], respond_within: 15m }] }
`;

let redis: TestRedis;
let fake: FakeDiscord;
let dir: string;
let bot: RunningBot | undefined;

const boot = async () => {
  bot = await spawnStart(
    {
      REDIS_URL: redis.url,
      RUNBOOK: 'runbook.yaml',
      LOG_LEVEL: 'warn',
      DISCORD_TOKEN: fake.token,
      DISCORD_APPLICATION_ID: APPLICATION_ID,
      DISCORD_GUILD_ID: GUILD_ID,
      DISCORD_API_URL: fake.apiUrl,
      SLACK_BOT_TOKEN: '',
      SLACK_SIGNING_SECRET: '',
    },
    { cwd: dir },
  );
};
const restart = async () => {
  if (!bot) throw new Error('no bot is running');
  await bot.kill();
  await boot();
};

const dmChannelOf = (user: string) =>
  [...fake.world.channels.values()].find((c) => c.type === 1 && c.recipient === user)?.id;
/** The posts of `message`'s text in its channel that Discord answered. */
const answeredPostsOf = (message: FakeDiscordMessage) =>
  fake.world.calls.filter(
    (c) =>
      c.method === 'POST' &&
      c.path === `/channels/${message.channel_id}/messages` &&
      c.body.content === message.content &&
      c.status === 200,
  );

/**
 * Ann's command reaches a bot killed before it acknowledged it; the restarted bot is killed again once Discord took
 * the first post that `isAnswer`, before Discord's answer reaches it. Resolves once a third bot posted that answer
 * again (Discord answered it); the answer the first post made is returned.
 */
const killedTwice = async (
  options: Record<string, string>,
  sub: string,
  isAnswer: (m: FakeDiscordMessage) => boolean,
): Promise<FakeDiscordMessage> => {
  let taken: FakeDiscordMessage | undefined;
  let restarted: Promise<void> | undefined;
  fake.beforePostAnswer(async (message) => {
    if (taken || !isAnswer(message)) return;
    taken = message;
    restarted = restart();
    await restarted;
  });
  const held = fake.holdNextCallback();
  const ids = newInteractionIds();
  const deployments = fake.world.channels.get(DEPLOY_CHANNEL_ID);
  if (!deployments) throw new Error('the fake has no #deployments');
  fake.gateway.dispatch(
    'INTERACTION_CREATE',
    slashInteraction(ids, ANN, deployments, 'deploy', sub, options),
  );
  await held;
  await restart();
  const first = await waitFor('the answer the killed bot posted', () => taken, 90_000);
  await restarted;
  fake.beforePostAnswer(undefined);
  // The first post was never answered (its bot was gone): this is the third bot's.
  await waitFor('the answer posted again', () => answeredPostsOf(first)[0], 120_000);
  return first;
};

beforeAll(async () => {
  redis = await startTestRedis();
  fake = await startFakeDiscord();
  dir = await mkdtemp(join(tmpdir(), 'preflight-discord-late-killed-'));
  await writeFile(join(dir, 'runbook.yaml'), RUNBOOK);
  await boot();
}, 60_000);

afterAll(async () => {
  fake?.beforePostAnswer(undefined);
  await bot?.stop();
  await fake?.close();
  await rm(dir, { recursive: true, force: true });
  await redis?.stop();
});

describe('a late answer Discord took from a bot killed before it heard so', () => {
  it('a direct message: Ann gets it once', async () => {
    const first = await killedTwice({ id: 'svc-9' }, 'status', (m) => m.channel_id === dmChannelOf(ANN));
    expect(first.content).toMatch(
      /^⚠️ Discord showed you “This interaction failed” for \/deploy status svc-9/,
    );
    const dms = fake.world.messages.filter((m) => m.channel_id === dmChannelOf(ANN));
    expect(dms.map((m) => m.content)).toEqual([first.content]);
  }, 240_000);

  it('an answer for the channel: #deployments sees it once', async () => {
    const said = (m: FakeDiscordMessage) =>
      m.channel_id === DEPLOY_CHANNEL_ID && m.content.startsWith(`<@${ANN}> ⚠️ Discord showed you`);
    const first = await killedTwice(
      { service: 'svc', environment: 'staging', reason: 'db migration' },
      'lock',
      said,
    );
    expect(first.content).toContain('🔒 svc staging locked by Ann');
    expect(fake.world.messages.filter(said).map((m) => m.content)).toEqual([first.content]);
    expect(
      fake.world.messages.filter((m) => m.channel_id === dmChannelOf(ANN) && m.content.includes('lock')),
    ).toEqual([]);
  }, 240_000);
});
