/**
 * Several services started at once into one deploy channel that refuses Preflight's posts: no start answer sends
 * its requester to follow the deployment in a channel that shows nothing, however many answers come at once. Only
 * a few answers may wait for their thread's first message; the others say the thread could not be posted there
 * once the channel is known to refuse Preflight (a refusal recorded there), and before that, that it is not posted
 * there yet.
 */
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEPLOY_CHANNEL } from '../helpers/fake-slack-api.ts';
import { ANN, oneGateRunbook } from '../helpers/one-gate-runbook.ts';
import { startTestRedis, type TestRedis } from '../helpers/redis-server.ts';
import { type SlackHarness, startSlackHarness } from '../helpers/slack-harness.ts';

const FIRST = ['alpha', 'beta', 'gamma', 'delta', 'epsilon', 'zeta'];
const SECOND = ['eta', 'theta', 'iota', 'kappa', 'lambda', 'mu'];

let redis: TestRedis;
let dir: string;
let h: SlackHarness;

beforeAll(async () => {
  redis = await startTestRedis();
  dir = await mkdtemp(join(tmpdir(), 'preflight-burst-'));
  for (const service of [...FIRST, ...SECOND])
    await writeFile(join(dir, `${service}.yaml`), oneGateRunbook(service));
  h = await startSlackHarness({ redisUrl: redis.url, runbookPath: dir });
});
afterAll(async () => {
  await h?.stop();
  await redis?.stop();
  await rm(dir, { recursive: true, force: true });
});

/** Starts each service at once, as Ann, and returns the answers, in the same order. */
async function startAll(services: readonly string[]): Promise<string[]> {
  const starts = await Promise.all(services.map((s) => h.command(ANN, `/deploy start ${s} v1.0.0`)));
  expect(starts.map((s) => s.status)).toEqual(services.map(() => 200));
  return await Promise.all(
    starts.map(async ({ tag }) => {
      const reply = await h.waitFor('a start answer', () => h.fake.responses.find((r) => r.tag === tag));
      return String(reply.body.text);
    }),
  );
}

const refusedAnswer = (service: string) =>
  `Starting ${service}-1: ${service} v1.0.0 → production. ⚠️ Its thread could not be posted in <#${DEPLOY_CHANNEL}>: Preflight's posts there are refused`;
const unpostedAnswer = (service: string) =>
  `Starting ${service}-1: ${service} v1.0.0 → production. Follow it in <#${DEPLOY_CHANNEL}> (⏳ its thread is not posted there yet: until it is, \`/deploy status ${service}-1\` shows where it stands).`;

describe('a burst of starts into a channel that refuses posts', () => {
  it('sends nobody to follow a deployment in the channel while its thread is not there', async () => {
    h.fake.refuse(DEPLOY_CHANNEL, 'not_in_channel');
    const answers = await startAll(FIRST);
    for (const [i, answer] of answers.entries()) {
      const service = FIRST[i] ?? '';
      if (answer.includes('could not be posted')) {
        expect(answer).toContain(refusedAnswer(service));
        expect(answer).toContain(`\`/deploy status ${service}-1\``);
      } else expect(answer).toBe(unpostedAnswer(service));
    }
    // The answers that could wait for their thread said it was refused.
    expect(answers.filter((a) => a.includes('could not be posted')).length).toBeGreaterThan(0);
  });

  it('tells every requester the thread could not be posted once the channel is known to refuse, without waiting', async () => {
    // The channel's refusal is recorded (a status says so once it is).
    await h.waitFor('the refusal recorded', async () => {
      const { tag } = await h.command(ANN, '/deploy status alpha-1');
      const reply = await h.waitFor('the status', () => h.fake.responses.find((r) => r.tag === tag));
      return String(reply.body.text).includes('refuses') || undefined;
    });
    const answers = await startAll(SECOND);
    for (const [i, answer] of answers.entries()) {
      const service = SECOND[i] ?? '';
      expect(answer).toContain(refusedAnswer(service));
      expect(answer).not.toContain('Follow it in');
      expect(answer).toContain(`Invite Preflight to <#${DEPLOY_CHANNEL}>`);
      expect(answer).toContain(`\`/deploy status ${service}-1\``);
    }
  });
});
