/**
 * Reactions made in Slack while the bot was down longer than Slack redelivers events (three tries over about five
 * minutes): the started bot reads back the reactions on the messages still waiting for one (`reactions.get`), so a
 * checklist tick and an approval made meanwhile count, a non-approver's is not answered out of the blue, and
 * nothing counts twice after another restart. Without the `reactions:read` scope it says once what to add.
 */
import { describe, expect, it } from 'vitest';
import type { FakeMessage } from '../helpers/fake-slack-api.ts';
import { waitFor } from '../helpers/slack-harness.ts';
import type { RunningBot } from '../helpers/spawn-start.ts';
import { useSpawnedSlackWorld } from '../helpers/spawned-slack-world.ts';

const ANN = 'U0ANN0001';
const BEN = 'U0BEN0001';
const CAT = 'U0CAT0001';
const EVE = 'U0EVE0001';

const RUNBOOK = `version: 1
service: svc
timezone: UTC
environments: { production: { default: true } }
channels: { deploy: "#deployments", incident: "#incident-response" }
people:
  ann: { name: Ann, slack: ${ANN} }
  ben: { name: Ben, slack: ${BEN} }
  cat: { name: Cat, slack: ${CAT} }
  eve: { name: Eve, slack: ${EVE} }
groups: { ops: [ann, ben, cat, eve] }
permissions: { deploy: [ops], rollback: [ops] }
checklist:
  - { id: notes, title: Release notes reviewed, owner: [ben] }
  - { id: support, title: Support knows, owner: [cat] }
gates:
  go: { title: Go, approvers: [ben, cat], expires: 1h }
steps:
  - { id: build, title: Build, needs: [go], run: "true" }
escalation: { levels: [{ id: L1, notify: [ann], respond_within: 15m }] }
`;

const world = useSpawnedSlackWorld(RUNBOOK);
let bot: RunningBot | undefined;

const start = async () => {
  bot = await world.start({ logLevel: 'info' });
  return bot;
};

const kill = async () => {
  await bot?.kill();
  bot = undefined;
};

/** A person's reaction as Slack keeps it: on the message, whether or not the bot heard of it. */
const reactInSlack = (message: FakeMessage, user: string, emoji: string) => {
  message.reactedBy[emoji] = [...(message.reactedBy[emoji] ?? []), user];
};

const readBacks = () => world.slack.calls.filter((c) => c.method === 'reactions.get').length;

const deploy = async (version: string) => {
  if (!bot) throw new Error('no bot to deploy with');
  const answer = await world.command(bot, ANN, `/deploy start svc ${version}`, version);
  expect(answer.status).toBe(200);
};

/** The `n`th message (0-based) whose text includes `text`, once posted. */
const firstWith =
  (text: string, n = 0) =>
  () =>
    world.slack.messages.filter((m) => m.text.includes(text))[n];

describe('reactions made in Slack while the bot was down', () => {
  it('are read back when it starts again: ticks and an approval count, once', async () => {
    await start();
    await deploy('v1.0.0');
    const notes = await waitFor('the notes item', firstWith('☐ *Release notes reviewed*'));
    const support = await waitFor('the support item', firstWith('☐ *Support knows*'));

    // Ben and Cat tick their items while the bot is down.
    await kill();
    reactInSlack(notes, BEN, 'white_check_mark');
    reactInSlack(support, CAT, 'white_check_mark');
    await start();
    const gate = await waitFor('the gate message', firstWith('*Go* gate'), 60_000);

    // Cat approves and Eve (no approver) reacts too, both while the bot is down.
    await kill();
    reactInSlack(gate, CAT, 'white_check_mark');
    reactInSlack(gate, EVE, 'white_check_mark');
    const before = world.slack.calls.length;
    await start();
    const report = await waitFor('the report', firstWith('*Report*'), 60_000);
    expect(report.text).toContain('Approved by: Go: Cat');
    const toEve = world.slack.calls
      .slice(before)
      .filter(
        (c) =>
          (c.method === 'chat.postEphemeral' && c.params.user === EVE) ||
          (c.method === 'conversations.open' && String(c.params.users).includes(EVE)),
      );
    expect(toEve).toEqual([]);

    // Another start finds nothing left to read back, and nothing is posted twice.
    await kill();
    const posts = world.slack.messages.length;
    const reads = readBacks();
    await start();
    await new Promise((r) => setTimeout(r, 2_000));
    expect(world.slack.messages.length).toBe(posts);
    expect(readBacks()).toBe(reads);
  }, 180_000);

  it('says once what to add when the app lacks the reactions:read scope', async () => {
    await deploy('v1.1.0');
    // The first deployment's items read ✅ now: these are the second's.
    const notes = await waitFor('the second notes item', firstWith('☐ *Release notes reviewed*'));
    await waitFor('the second support item', firstWith('☐ *Support knows*'));
    await kill();
    reactInSlack(notes, BEN, 'white_check_mark');
    world.slack.fail('reactions.get', { error: 'missing_scope' }, 10);
    const reads = readBacks();
    await start();
    const warning = await waitFor('the warning', () =>
      bot
        ?.stdout()
        .split('\n')
        .find((l) => l.includes('reactions:read')),
    );
    expect(warning).toContain('missing_scope');
    await new Promise((r) => setTimeout(r, 1_000));
    // Two prompts wait; the first refusal is enough to know the second would be refused too.
    expect(readBacks() - reads).toBe(1);
    expect(bot?.stdout().split('reactions:read').length).toBe(2);
  }, 60_000);
});
