/**
 * The real `preflight start` on Discord, SIGKILLed after it recorded an interaction and before Discord got its
 * acknowledgement: Discord showed the person "This interaction failed" and took the token back, so no edit or
 * follow-up reaches them. After a restart the recorded /deploy start and Approve click take effect, once, and each
 * person is told by direct message what was done with it; doing it again is answered as usual and changes nothing.
 * An answer meant for the channel (a lock) is said in the channel, naming the person.
 */
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buttonInteraction, newInteractionIds, slashInteraction } from '../helpers/discord-events.ts';
import { DEPLOY_CHANNEL_ID, type FakeDiscord, startFakeDiscord } from '../helpers/fake-discord.ts';
import { startTestRedis, type TestRedis } from '../helpers/redis-server.ts';
import { waitFor } from '../helpers/slack-harness.ts';
import { discordBotEnv, type RunningBot, spawnStart } from '../helpers/spawn-start.ts';

const ANN = '210000000000000001';
const BEN = '210000000000000002';
const CAT = '210000000000000003';

const RUNBOOK = `version: 1
service: svc
timezone: UTC
environments: { production: { default: true }, staging: {} }
channels: { deploy: "#deployments", incident: "#incident-response" }
people:
  ann: { name: Ann, discord: "${ANN}" }
  ben: { name: Ben, discord: "${BEN}" }
  cat: { name: Cat, discord: "${CAT}" }
groups: { ops: [ann, ben, cat] }
permissions: { deploy: [ops], rollback: [ops] }
gates:
  go: { title: Go, approvers: [ops], required: 2 }
steps:
  - { id: build, title: Build, needs: [go], run: "true" }
escalation: { levels: [{ id: L1, notify: [ann], respond_within: 15m }] }
`;

let redis: TestRedis;
let fake: FakeDiscord;
let dir: string;
let bot: RunningBot | undefined;

const boot = async () => {
  bot = await spawnStart(discordBotEnv(redis.url, fake), { cwd: dir });
};

/** Dispatches an interaction whose acknowledgement Discord never gets: the bot is killed while sending it. */
const killedBeforeAck = async (dispatch: () => void) => {
  const held = fake.holdNextCallback();
  dispatch();
  await held;
  if (!bot) throw new Error('no bot is running');
  await bot.kill();
  await boot();
};

const channel = (id: string) => {
  const found = fake.world.channels.get(id);
  if (!found) throw new Error(`the fake has no channel ${id}`);
  return found;
};
const directMessagesTo = (user: string) => {
  const dm = [...fake.world.channels.values()].find((c) => c.type === 1 && c.recipient === user);
  return fake.world.messages.filter((m) => m.channel_id === dm?.id);
};
const statusMessages = () =>
  fake.world.messages.filter((m) => m.channel_id === DEPLOY_CHANNEL_ID && m.content.includes('svc v1.0.0'));
/** What the person saw in place of the "thinking…" answer (an edit or follow-up Discord took). */
const answered = (token: string) =>
  fake.world.answers.find((a) => a.token === token && (a.kind === 'edit' || a.kind === 'followup'));

beforeAll(async () => {
  redis = await startTestRedis();
  fake = await startFakeDiscord();
  dir = await mkdtemp(join(tmpdir(), 'preflight-discord-late-'));
  await writeFile(join(dir, 'runbook.yaml'), RUNBOOK);
  await boot();
}, 60_000);

afterAll(async () => {
  await bot?.stop();
  await fake?.close();
  await rm(dir, { recursive: true, force: true });
  await redis?.stop();
});

describe('an interaction recorded by a bot killed before it acknowledged it', () => {
  it('/deploy start: starts once after the restart, and the person is told by direct message', async () => {
    const start = newInteractionIds();
    await killedBeforeAck(() =>
      fake.gateway.dispatch(
        'INTERACTION_CREATE',
        slashInteraction(start, ANN, channel(DEPLOY_CHANNEL_ID), 'deploy', 'start', {
          service: 'svc',
          version: 'v1.0.0',
        }),
      ),
    );
    const told = await waitFor('the direct message to Ann', () => directMessagesTo(ANN)[0], 90_000);
    expect(told.content).toMatch(
      /^⚠️ Discord showed you “This interaction failed” for \/deploy start svc v1\.0\.0, but Preflight had recorded it, and this is what came of it \(no need to do it again\): Starting svc-1: svc v1\.0\.0 → production\./,
    );
    expect(statusMessages()).toHaveLength(1);
    expect(answered(start.token)).toBeUndefined();

    // Ann, unsure, starts it again: the answer says it is under way, and nothing new starts.
    const again = newInteractionIds();
    fake.gateway.dispatch(
      'INTERACTION_CREATE',
      slashInteraction(again, ANN, channel(DEPLOY_CHANNEL_ID), 'deploy', 'start', {
        service: 'svc',
        version: 'v1.0.0',
      }),
    );
    const second = await waitFor('the answer to the second start', () => answered(again.token));
    expect(second.body.content).toBe(
      '⚠️ svc production is busy with deployment svc-1 (v1.0.0 by Ann, waiting for approvals); wait for it to finish, or /deploy abort svc-1',
    );
    expect(statusMessages()).toHaveLength(1);
  }, 150_000);

  it('Approve: counts once after the restart, the approver is told by direct message, a second click changes nothing', async () => {
    const gate = await waitFor('the gate message', () =>
      fake.world.messages.find((m) => m.content.includes('**Go** gate')),
    );
    const click = newInteractionIds();
    await killedBeforeAck(() =>
      fake.gateway.dispatch(
        'INTERACTION_CREATE',
        buttonInteraction(click, BEN, channel(gate.channel_id), gate, 'gate.approve|svc-1:go'),
      ),
    );
    const told = await waitFor('the direct message to Ben', () => directMessagesTo(BEN)[0], 90_000);
    expect(told.content).toMatch(
      /^⚠️ Discord showed you “This interaction failed” for your click on Approve, but Preflight had recorded it, and this is what came of it \(no need to do it again\): /,
    );
    expect(answered(click.token)).toBeUndefined();

    const again = newInteractionIds();
    fake.gateway.dispatch(
      'INTERACTION_CREATE',
      buttonInteraction(again, BEN, channel(gate.channel_id), gate, 'gate.approve|svc-1:go'),
    );
    const second = await waitFor('the answer to the second click', () => answered(again.token));
    expect(second.body.content).toBe('your approval of the Go gate is already counted');
    // Cat's approval is the second one the gate needs: Ben's counted once.
    const byCat = newInteractionIds();
    fake.gateway.dispatch(
      'INTERACTION_CREATE',
      buttonInteraction(byCat, CAT, channel(gate.channel_id), gate, 'gate.approve|svc-1:go'),
    );
    expect(String((await waitFor('the answer to Cat', () => answered(byCat.token))).body.content)).toContain(
      'gate approved (2 of 2)',
    );
    expect(directMessagesTo(ANN)).toHaveLength(1);
    expect(directMessagesTo(BEN)).toHaveLength(1);
  }, 150_000);

  it('/deploy lock: the channel hears it, naming the person, with what they typed masked', async () => {
    const lock = newInteractionIds();
    await killedBeforeAck(() =>
      fake.gateway.dispatch(
        'INTERACTION_CREATE',
        slashInteraction(lock, CAT, channel(DEPLOY_CHANNEL_ID), 'deploy', 'lock', {
          service: 'svc',
          // Not svc-1's environment: its deployment may still hold production.
          environment: 'staging',
          reason: 'rotating DB_PASSWORD=hunter2-late-answer',
        }),
      ),
    );
    const said = await waitFor(
      'the answer in the channel',
      () =>
        fake.world.messages.find(
          (m) => m.channel_id === DEPLOY_CHANNEL_ID && m.content.startsWith(`<@${CAT}> ⚠️ Discord showed you`),
        ),
      90_000,
    );
    expect(said.content).toMatch(
      /^<@210000000000000003> ⚠️ Discord showed you “This interaction failed” for \/deploy lock svc staging .*, but Preflight had recorded it, and this is what came of it \(no need to do it again\): 🔒 svc staging locked by Cat/,
    );
    expect(said.content).not.toContain('hunter2');
    const posted = fake.world.calls.find((c) => c.method === 'POST' && c.body.content === said.content);
    expect(posted?.body.allowed_mentions).toEqual({ parse: [], users: [CAT] });
    expect(directMessagesTo(CAT)).toHaveLength(0);
  }, 150_000);

  it('names a person who takes no direct messages in the channel where they asked', async () => {
    fake.world.closedDms.add(CAT);
    const status = newInteractionIds();
    await killedBeforeAck(() =>
      fake.gateway.dispatch(
        'INTERACTION_CREATE',
        slashInteraction(status, CAT, channel(DEPLOY_CHANNEL_ID), 'deploy', 'status', { id: 'svc-1' }),
      ),
    );
    const said = await waitFor(
      'the answer in the channel',
      () =>
        fake.world.messages.find(
          (m) =>
            m.channel_id === DEPLOY_CHANNEL_ID &&
            m.content.startsWith(
              `<@${CAT}> ⚠️ Discord showed you “This interaction failed” for /deploy status`,
            ),
        ),
      90_000,
    );
    expect(said.content).toContain('for /deploy status svc-1, but Preflight had recorded it');
    const posted = fake.world.calls.find((c) => c.method === 'POST' && c.body.content === said.content);
    expect(posted?.body.allowed_mentions).toEqual({ users: [CAT] });
    expect(directMessagesTo(CAT)).toHaveLength(0);
  }, 150_000);
});
