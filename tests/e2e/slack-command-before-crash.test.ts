/**
 * A `/deploy abort` or `/deploy pause` Slack was answered 200 for, with the bot killed straight after, while the
 * deployment's next step is due some seconds later: the bot is down when that step comes due. Started again, it
 * applies what people said before the step came due first: an aborted deployment's step never starts (a migration
 * is not begun and then killed), a paused one's waits for /deploy resume.
 */
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { type Deployment, isFinal } from '../../src/core/index.ts';
import { waitFor } from '../helpers/slack-harness.ts';
import type { RunningBot } from '../helpers/spawn-start.ts';
import { SLOW_START, useSpawnedSlackWorld, useWorldDeployments } from '../helpers/spawned-slack-world.ts';
import { ANN, threePeopleRunbook } from '../helpers/three-people-runbook.ts';

const world = useSpawnedSlackWorld((dir) =>
  threePeopleRunbook(
    'svc',
    `groups: { ops: [ann, ben, cat] }
permissions: { deploy: [ops], rollback: [ops] }
steps:
  - { id: build, title: Build, run: "echo build $PREFLIGHT_DEPLOYMENT_ID >> ${join(dir, 'runs.log')}" }
  - { id: migrate, title: Migrate, at: "+12s", run: "echo migrate $PREFLIGHT_DEPLOYMENT_ID >> ${join(dir, 'runs.log')}" }
escalation: { levels: [{ id: L1, notify: [ann], respond_within: 15m }] }
`,
  ),
);

const deployments = useWorldDeployments(world);

const runs = async () =>
  (await readFile(join(world.dir, 'runs.log'), 'utf8').catch(() => '')).split('\n').filter(Boolean);

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** Starts `version`, waits for its build to run, sends `line` and kills the bot once Slack has its 200. */
async function commandThenCrash(version: string, line: string): Promise<Deployment> {
  const bot: RunningBot = await world.start(SLOW_START);
  expect((await world.command(bot, ANN, `/deploy start svc ${version}`, `start-${version}`)).status).toBe(
    200,
  );
  const d = await waitFor(
    `${version} built`,
    async () => (await deployments().list({ service: 'svc', limit: 5 })).find((x) => x.version === version),
    30_000,
  );
  await waitFor(
    `${d.id} build`,
    async () => ((await runs()).includes(`build ${d.id}`) ? true : undefined),
    30_000,
  );
  const due = await waitFor(`${d.id} migrate due`, async () => {
    const now = await deployments().get(d.id);
    return now?.steps.find((s) => s.id === 'migrate')?.notBefore;
  });
  expect((await world.command(bot, ANN, line, `${line.split(' ')[1]}-${version}`)).status).toBe(200);
  await bot.kill();
  // The bot stays down until the migration is past due.
  while (Date.now() < due + 1_000) await sleep(250);
  return d;
}

describe('a command Slack was answered for just before the bot was killed', () => {
  it('abort: the step that came due while the bot was down never starts', async () => {
    const d = await commandThenCrash('v1.0.0', '/deploy abort');
    const bot = await world.start(SLOW_START);
    try {
      const ended = await waitFor(
        `${d.id} ended`,
        async () => {
          const now = await deployments().get(d.id);
          return now && isFinal(now) ? now : undefined;
        },
        60_000,
      );
      expect(ended.state).toBe('aborted');
      expect(
        (await deployments().audit(d.id)).filter((r) => r.type === 'step.started').map((r) => r.detail.step),
      ).toEqual(['build']);
      expect(await runs()).toEqual([`build ${d.id}`]);
      await waitFor('the answer to the abort', () => world.slack.shown('abort-v1.0.0')[0]);
      expect(world.slack.shown('abort-v1.0.0').map((a) => a.text)).toEqual([`${d.id}: deployment aborted.`]);
    } finally {
      await bot.stop();
    }
  }, 120_000);

  it('pause: the step waits for /deploy resume, then runs once', async () => {
    const d = await commandThenCrash('v1.0.1', '/deploy pause');
    const bot = await world.start(SLOW_START);
    try {
      await waitFor(
        `${d.id} paused`,
        async () => ((await deployments().get(d.id))?.paused ? true : undefined),
        60_000,
      );
      expect(
        (await deployments().audit(d.id)).filter((r) => r.type === 'step.started').map((r) => r.detail.step),
      ).toEqual(['build']);
      expect((await runs()).filter((l) => l.endsWith(d.id))).toEqual([`build ${d.id}`]);
      expect((await world.command(bot, ANN, '/deploy resume', `resume-${d.id}`)).status).toBe(200);
      await waitFor(
        `${d.id} succeeded`,
        async () => ((await deployments().get(d.id))?.state === 'succeeded' ? true : undefined),
        60_000,
      );
      expect((await runs()).filter((l) => l.endsWith(d.id))).toEqual([`build ${d.id}`, `migrate ${d.id}`]);
    } finally {
      await bot.stop();
    }
  }, 120_000);
});
