/**
 * The real `preflight start` on Discord, SIGKILLed right after Discord took an interaction's answer and before
 * Preflight heard so: a follow-up for the channel, or, when the interaction's acknowledgement was lost to an earlier
 * kill (so the answer can no longer be given through it), a direct message or a post in the channel. The next
 * restart handles the interaction again: the person, and the channel, see the answer once.
 */
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type InteractionIds, newInteractionIds, slashInteraction } from '../helpers/discord-events.ts';
import {
  DEPLOY_CHANNEL_ID,
  type FakeDiscord,
  type FakeDiscordMessage,
  startFakeDiscord,
} from '../helpers/fake-discord.ts';
import { startTestRedis, type TestRedis } from '../helpers/redis-server.ts';
import { waitFor } from '../helpers/slack-harness.ts';
import { discordBotEnv, type RunningBot, spawnStart } from '../helpers/spawn-start.ts';

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
  bot = await spawnStart(discordBotEnv(redis.url, fake), { cwd: dir });
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
 * Dispatches Ann's command; with `ackLost`, the bot that gets it is killed before Discord got its acknowledgement
 * (and restarted). The bot that answers is killed once Discord took the first post that `isAnswer`, before Discord's
 * answer reaches it, and restarted. Resolves with that post's message once `handledAgain` says the next bot handled
 * the command.
 */
const killedAnswering = async (
  command: { sub: string; options: Record<string, string>; ackLost: boolean },
  isAnswer: (m: FakeDiscordMessage, ids: InteractionIds) => boolean,
  handledAgain: (first: FakeDiscordMessage, ids: InteractionIds) => unknown,
): Promise<FakeDiscordMessage> => {
  const ids = newInteractionIds();
  let taken: FakeDiscordMessage | undefined;
  let restarted: Promise<void> | undefined;
  fake.beforePostAnswer(async (message) => {
    if (taken || !isAnswer(message, ids)) return;
    taken = message;
    restarted = restart();
    await restarted;
  });
  const held = command.ackLost ? fake.holdNextCallback() : undefined;
  const deployments = fake.world.channels.get(DEPLOY_CHANNEL_ID);
  if (!deployments) throw new Error('the fake has no #deployments');
  fake.gateway.dispatch(
    'INTERACTION_CREATE',
    slashInteraction(ids, ANN, deployments, 'deploy', command.sub, command.options),
  );
  if (held) {
    await held;
    await restart();
  }
  const first = await waitFor('the answer the killed bot posted', () => taken, 90_000);
  await restarted;
  fake.beforePostAnswer(undefined);
  await waitFor('the next bot handling it again', () => handledAgain(first, ids), 120_000);
  return first;
};

/** A late answer: the first post was never answered (its bot was gone), so this one is the next bot's. */
const postedAgain = (first: FakeDiscordMessage) => answeredPostsOf(first)[0];

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

describe('an answer Discord took from a bot killed before it heard so', () => {
  it('a late direct message: Ann gets it once', async () => {
    const first = await killedAnswering(
      { sub: 'status', options: { id: 'svc-9' }, ackLost: true },
      (m) => m.channel_id === dmChannelOf(ANN),
      postedAgain,
    );
    expect(first.content).toMatch(
      /^⚠️ Discord showed you “This interaction failed” for \/deploy status svc-9/,
    );
    const dms = fake.world.messages.filter((m) => m.channel_id === dmChannelOf(ANN));
    expect(dms.map((m) => m.content)).toEqual([first.content]);
  }, 240_000);

  it('a late answer for the channel: #deployments sees it once', async () => {
    const said = (m: FakeDiscordMessage) =>
      m.channel_id === DEPLOY_CHANNEL_ID && m.content.startsWith(`<@${ANN}> ⚠️ Discord showed you`);
    const first = await killedAnswering(
      {
        sub: 'lock',
        options: { service: 'svc', environment: 'staging', reason: 'db migration' },
        ackLost: true,
      },
      said,
      postedAgain,
    );
    expect(first.content).toContain('🔒 svc staging locked by Ann');
    expect(fake.world.messages.filter(said).map((m) => m.content)).toEqual([first.content]);
    expect(
      fake.world.messages.filter((m) => m.channel_id === dmChannelOf(ANN) && m.content.includes('lock')),
    ).toEqual([]);
  }, 240_000);

  it('a follow-up for the channel, its interaction acknowledged: #deployments sees it once', async () => {
    const first = await killedAnswering(
      {
        sub: 'lock',
        options: { service: 'svc', environment: 'production', reason: 'freeze' },
        ackLost: false,
      },
      (m, ids) => m.interaction === ids.id,
      // The next bot takes the "answered in the channel" note away once the answer is there.
      (_first, ids) => fake.world.answers.find((a) => a.token === ids.token && a.kind === 'delete'),
    );
    expect(first.content).toMatch(/^🔒 svc production locked by Ann/);
    const interaction = first.interaction;
    expect(fake.world.followUps.filter((m) => m.interaction === interaction).map((m) => m.content)).toEqual([
      first.content,
    ]);
  }, 240_000);
});
