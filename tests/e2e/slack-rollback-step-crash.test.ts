/**
 * The bot killed while a rollback step runs: started again, the thread asks once what to do about the step that
 * was cut off (it is not idempotent), and `/deploy decide retry` runs the rest of the rollback plan to its end.
 */
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { expect, it } from 'vitest';
import { waitFor } from '../helpers/slack-harness.ts';
import { SLOW_START, useSpawnedSlackWorld, useWorldDeployments } from '../helpers/spawned-slack-world.ts';
import { ANN, threePeopleRunbook } from '../helpers/three-people-runbook.ts';

const world = useSpawnedSlackWorld((dir) =>
  threePeopleRunbook(
    'svc',
    `groups: { ops: [ann, ben, cat] }
permissions: { deploy: [ops], rollback: [ops], abort: [ops] }
steps:
  - { id: ship, title: Ship, run: "true" }
rollback:
  steps:
    - { id: restore, title: Restore, run: 'echo begun >> ${join(dir, 'restores')}; sleep 4; echo restored' }
    - { id: flush, title: Flush, run: 'echo flushed >> ${join(dir, 'restores')}' }
escalation: { levels: [{ id: L1, notify: [ann], respond_within: 15m }] }
`,
  ),
);

const deployments = useWorldDeployments(world);
const restores = () => readFile(join(world.dir, 'restores'), 'utf8').catch(() => '');
const state = async (id: string) => (await deployments().get(id))?.state;

it('a rollback step cut off by a crash is asked about once, and a retry finishes the rollback', async () => {
  const first = await world.start(SLOW_START);
  expect((await world.command(first, ANN, '/deploy start svc v1.0.0', 'start')).status).toBe(200);
  const d = await waitFor('the deployment succeeded', async () => {
    const [found] = await deployments().list({ service: 'svc', limit: 5 });
    return found?.state === 'succeeded' ? found : undefined;
  });
  expect((await world.command(first, ANN, `/rollback ${d.id}`, 'rollback')).status).toBe(200);
  await waitFor('the restore begun', async () => ((await restores()).includes('begun') ? true : undefined));
  await first.kill();

  const bot = await world.start(SLOW_START);
  try {
    await waitFor(
      'a decision asked',
      async () => ((await state(d.id)) === 'needs_decision' ? true : undefined),
      90_000,
    );
    const asked = await waitFor('the question in the thread', () =>
      world.slack.messages.find((m) => /not idempotent/.test(m.text)),
    );
    expect(asked.text).toMatch(/Restore/);
    expect((await world.command(bot, ANN, `/deploy decide retry ${d.id}`, 'decide')).status).toBe(200);
    await waitFor(
      'rolled back',
      async () => ((await state(d.id)) === 'rolled_back' ? true : undefined),
      60_000,
    );
    await new Promise((r) => setTimeout(r, 3_000));
    const texts = world.slack.messages.map((m) => m.text);
    expect(texts.filter((t) => /not idempotent/.test(t))).toHaveLength(1);
    expect((await restores()).match(/begun/g)).toHaveLength(2);
    expect((await restores()).match(/flushed/g)).toHaveLength(1);
  } finally {
    await bot.stop();
  }
}, 200_000);
