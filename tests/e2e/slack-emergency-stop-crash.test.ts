/**
 * `/deploy abort --emergency` with the bot killed while the runbook's emergency stop runs: started again, the
 * thread tells how the emergency stop ended once, and the stop is not left unsaid.
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
  - { id: ship, title: Ship, run: "sleep 30" }
emergency:
  stop: { run: 'echo begun >> ${join(dir, 'stops')}; sleep 3; echo halted; echo ended >> ${join(dir, 'stops')}' }
escalation: { levels: [{ id: L1, notify: [ann], respond_within: 15m }] }
`,
  ),
);

const deployments = useWorldDeployments(world);
const stops = () => readFile(join(world.dir, 'stops'), 'utf8').catch(() => '');

it('the emergency stop interrupted by a crash is reported once after the restart', async () => {
  const first = await world.start(SLOW_START);
  expect((await world.command(first, ANN, '/deploy start svc v1.0.0', 'start')).status).toBe(200);
  const d = await waitFor('the step running', async () => {
    const [found] = await deployments().list({ service: 'svc', limit: 5 });
    return found?.state === 'running' ? found : undefined;
  });
  expect((await world.command(first, ANN, `/deploy abort ${d.id} --emergency`, 'abort')).status).toBe(200);
  await waitFor('the emergency stop begun', async () =>
    (await stops()).includes('begun') ? true : undefined,
  );
  await first.kill();

  const bot = await world.start(SLOW_START);
  try {
    await waitFor(
      'the emergency stop reported',
      () => world.slack.messages.find((m) => m.text.includes('Emergency stop')),
      90_000,
    );
    // Whatever else comes, in a while: no second report.
    await new Promise((r) => setTimeout(r, 5_000));
    const reports = world.slack.messages.filter((m) => m.text.includes('Emergency stop'));
    expect(reports).toHaveLength(1);
    expect(reports[0]?.text).toMatch(/Emergency stop finished/);
  } finally {
    await bot.stop();
  }
}, 180_000);
