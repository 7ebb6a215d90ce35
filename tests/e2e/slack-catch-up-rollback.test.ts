/**
 * Reactions on a rollback prompt made in Slack while the bot was down: at start it reads them back as on a gate, so
 * an approver's ✅ approves (the rollback runs), someone who may not approve is not counted, and an approver's ✅
 * taken off meanwhile withdraws their approval.
 */
import { describe, expect, it } from 'vitest';
import type { FakeMessage } from '../helpers/fake-slack-api.ts';
import { waitFor } from '../helpers/slack-harness.ts';
import type { RunningBot } from '../helpers/spawn-start.ts';
import { useSpawnedSlackWorld } from '../helpers/spawned-slack-world.ts';
import { ANN, BEN, CAT, threePeopleRunbook } from '../helpers/three-people-runbook.ts';

const EVE = 'U0EVE0001';
const CHECK = 'white_check_mark';

const RUNBOOK = threePeopleRunbook(
  'svc',
  `  eve: { name: Eve, slack: ${EVE} }
groups: { ops: [ann, ben, cat, eve], leads: [ben, cat] }
permissions: { deploy: [ops], rollback: [ops] }
steps:
  - { id: build, title: Build, run: "true" }
rollback:
  approval: { approvers: [leads], required: 2, allow_self: false }
  steps:
    - { id: undo, title: Undo, run: "true" }
escalation: { levels: [{ id: L1, notify: [ann], respond_within: 15m }] }
`,
);

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

/** Sets who has reacted ✅ on the message, as Slack keeps it, whether or not the bot heard of it. */
const checkedBy = (message: FakeMessage, ...users: string[]) => {
  message.reactedBy[CHECK] = users;
};

const rollbackPrompt = () => world.slack.messages.find((m) => m.text.includes('↩️ *Rollback*'));

/** The rollback prompt once it says `text`. */
const promptSays = (text: string) => () => {
  const m = rollbackPrompt();
  return m?.text.includes(text) ? m : undefined;
};

describe('reactions on a rollback prompt made in Slack while the bot was down', () => {
  it('count at start as on a gate: an approver’s ✅ approves, another’s does not, one taken off withdraws', async () => {
    await start();
    if (!bot) throw new Error('no bot');
    expect((await world.command(bot, ANN, '/deploy start svc v1.0.0', 'deploy')).status).toBe(200);
    await waitFor('the report', () => world.slack.messages.find((m) => m.text.includes('*Report*')), 60_000);
    expect((await world.command(bot, ANN, '/rollback svc-1', 'rollback')).status).toBe(200);
    const prompt = await waitFor('the rollback prompt', rollbackPrompt, 30_000);

    // Ben approves and Eve (no approver) reacts, both while the bot is down: Ben's is 1 of 2, Eve's not counted.
    await kill();
    checkedBy(prompt, BEN, EVE);
    await start();
    await waitFor('Ben’s approval', promptSays('Needs 1 more approval'), 30_000);

    // Ben takes his ✅ off while the bot is down: his approval is withdrawn.
    await kill();
    checkedBy(prompt, EVE);
    await start();
    await waitFor('Ben’s approval withdrawn', promptSays('Needs 2 more approvals'), 30_000);

    // Ben and Cat approve while the bot is down: the rollback runs.
    await kill();
    checkedBy(prompt, EVE, BEN, CAT);
    await start();
    const ran = await waitFor('the rollback run', promptSays('Approved by'), 60_000);
    expect(ran.text).toMatch(/Approved by (Ben|Cat) at .*, (Ben|Cat) at /);
    expect(ran.text).not.toContain('Eve at');
  }, 180_000);
});
