/**
 * A `preflight worker` beside the bot runs due timers too, but reads no chat. The bot restarts after the next level
 * of an incident came due, and Slack is slow to answer its read-back of the 👀 made while it was down: the overdue
 * page waits for that read-back in the worker as in the bot, so Ann, who acknowledged, is not paged over (Cat, L2,
 * is not paged).
 */
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { afterAll, expect, it } from 'vitest';
import { type FakeMessage, INCIDENT_CHANNEL } from '../helpers/fake-slack-api.ts';
import { useSlackSuite } from '../helpers/slack-suite.ts';
import { spawnWorker, type WorkerProcess } from '../helpers/spawn-worker.ts';
import { ANN, CAT, twoLevelIncidentRunbook } from '../helpers/three-people-runbook.ts';

const RUNBOOK = twoLevelIncidentRunbook('2s');
const suite = useSlackSuite(RUNBOOK);
let worker: WorkerProcess | undefined;
let dir: string | undefined;
/** Slack's answers to `reactions.get` wait for this while set. */
let held: Promise<void> | undefined;
let answer = () => {};
const answerReactionReads = () => {
  held = undefined;
  answer();
};
afterAll(async () => {
  answerReactionReads();
  await worker?.stop();
  if (dir) await rm(dir, { recursive: true, force: true });
});

/** A person's reaction as Slack keeps it: on the message, whether or not a bot heard of it. */
const reactInSlack = (message: FakeMessage, user: string, emoji: string) => {
  message.reactedBy[emoji] = [...(message.reactedBy[emoji] ?? []), user];
};

it('a worker does not page the next level while the bot reads back the 👀 made while it was down', async () => {
  const { h } = suite;
  expect((await h.command(ANN, '/incident open svc production checkout is failing')).status).toBe(200);
  const root = await h.waitFor("INC-1's message", () =>
    h.fake.messages.find((m) => m.channel === INCIDENT_CHANNEL && !m.threadTs && m.text.includes('INC-1')),
  );
  await h.waitFor("INC-1's L1 page", () =>
    h.fake.messages.find((m) => m.threadTs === root.ts && m.text.includes('L1')),
  );
  await h.restart(async () => {
    reactInSlack(root, ANN, 'eyes');
    held = new Promise<void>((resolve) => {
      answer = resolve;
    });
    h.fake.beforeAnswer(({ method }) =>
      method === 'reactions.get' && held ? held.then(() => undefined) : undefined,
    );
    // L2 comes due (2 s after L1) while the bot is down.
    await sleep(3_000);
  });
  // The bot is up and reading back (Slack is slow to answer); a worker starts beside it and picks up the page.
  dir = await mkdtemp(join(tmpdir(), 'preflight-worker-'));
  await writeFile(join(dir, 'runbook.yaml'), RUNBOOK);
  worker = await spawnWorker(suite.redis.url, join(dir, 'runbook.yaml'), h.preflight.prefix, dir);
  await sleep(5_000);
  answerReactionReads();

  const acknowledged = await h.waitFor('INC-1 acknowledged', async () => {
    const incident = await h.preflight.engine.incidents.get('INC-1');
    return incident?.state === 'acknowledged' ? incident : undefined;
  });
  expect(acknowledged.ack?.by).toBe('ann');
  await h.waitFor('everything sent', () => h.preflight.settled());
  expect((await h.preflight.engine.incidents.get('INC-1'))?.pages.map((p) => p.levelId)).toEqual(['L1']);
  expect(h.fake.messages.filter((m) => m.text.includes('L2') || m.channel === `D${CAT.slice(1)}`)).toEqual(
    [],
  );
}, 90_000);
