/**
 * `npm run test:faults`: two `preflight start` replicas (Slack HTTP mode; each request goes to either) and two
 * `preflight worker` processes on one Redis (AOF), 20 gated deployments with a non-idempotent and an idempotent
 * step, incidents and rollbacks, while bots and workers are SIGKILLed at random moments (some between a chat
 * post and Slack's answer), Redis is killed and restarted twice, and the fake Slack answers bursts of 429 and
 * 5xx. Then every deployment must be in its right final state, no non-idempotent step may have run twice, no
 * approval, ack, page, answer, deployment or chat message may be lost or doubled (counted at the fakes), and every
 * audit chain must verify. FAULT_SEED=<n> replays a run.
 */
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Redis } from 'ioredis';
import { afterAll, expect, it } from 'vitest';
import { STATE_ICON } from '../../src/bot/render/format.ts';
import { verifyAuditChain } from '../../src/core/index.ts';
import { createRedisDeploymentStore } from '../../src/infra/redis/redis-deployment-store.ts';
import { createRedisIncidentStore } from '../../src/infra/redis/redis-incident-store.ts';
import { type FakeMessage, type FakeSlackApi, startFakeSlackApi } from '../helpers/fake-slack-api.ts';
import { startTestRedis, type TestRedis } from '../helpers/redis-server.ts';
import { SIGNING_SECRET } from '../helpers/signed-slack.ts';
import { startChaos } from './fault-chaos.ts';
import { type Cluster, startCluster } from './fault-cluster.ts';
import { type LaneOutcome, runLane } from './fault-lane.ts';
import { laneNames, writeFaultRunbooks } from './fault-runbooks.ts';
import { createRandom } from './seeded-random.ts';
import { createPeople } from './slack-people.ts';

const LANES = 10;
const ROUNDS = 2;
const ROLLBACK_LANES = new Set([3, 7]);
const BUDGET_MS = 420_000;

let redis: TestRedis | undefined;
let fake: FakeSlackApi | undefined;
let cluster: Cluster | undefined;
let connection: Redis | undefined;

afterAll(async () => {
  await cluster?.stop();
  connection?.disconnect();
  await fake?.close();
  await redis?.stop();
});

const deliveryOf = (m: FakeMessage) => {
  const payload = m.metadata?.event_payload as { delivery?: string } | undefined;
  return payload?.delivery;
};

it('keeps every promise through crashes of bots, workers and Redis', {
  timeout: BUDGET_MS + 60_000,
}, async () => {
  const seed = process.env.FAULT_SEED ? Number(process.env.FAULT_SEED) : undefined;
  const random = createRandom(seed);
  console.log(`fault run: seed ${random.seed} (replay with FAULT_SEED=${random.seed})`);
  const started = Date.now();
  const deadline = started + BUDGET_MS;
  const lanes = laneNames(LANES);
  redis = await startTestRedis();
  const logDir = await mkdtemp(join(tmpdir(), 'preflight-faults-'));
  console.log(`fault run: process logs in ${logDir} (removed when the run passes)`);
  const dir = join(redis.dir, 'runbooks');
  await writeFaultRunbooks(dir, lanes);
  fake = await startFakeSlackApi(lanes);
  const slackFake = fake;
  const channelOf = (lane: string) => `C0EXTRA${String(lanes.indexOf(lane)).padStart(3, '0')}`;
  cluster = await startCluster(
    { redisUrl: redis.url, runbookDir: dir, slackApiUrl: fake.apiUrl, signingSecret: SIGNING_SECRET, logDir },
    2,
    2,
  );
  const running = cluster;
  connection = new Redis(redis.url, { maxRetriesPerRequest: null });
  connection.on('error', () => {});
  const store = createRedisDeploymentStore({ redis: connection, clock: { now: () => Date.now() } });
  const incidents = createRedisIncidentStore({ redis: connection });
  const people = createPeople({
    bots: () => running.liveBots(),
    responseUrl: (tag) => slackFake.responseUrl(tag),
    random,
    deadline,
  });
  const chaos = startChaos(
    { forMs: 100_000, kills: 32, maxMs: 240_000, redisAt: [30_000, 75_000], midSendKills: 8 },
    { cluster, redis, fake, random },
  );

  const results = await Promise.all(
    lanes.map(async (lane, i) => {
      const ids: (LaneOutcome & { rollback: boolean })[] = [];
      for (let round = 0; round < ROUNDS; round++) {
        await new Promise((r) => setTimeout(r, i * 700));
        const rollback = round === 0 && ROLLBACK_LANES.has(i);
        const outcome = await runLane({
          lane,
          version: `v1.${round}.${i}`,
          channel: channelOf(lane),
          rollback,
          people,
          fake: slackFake,
          store,
          incidents,
          deadline,
        });
        ids.push({ ...outcome, rollback });
      }
      return ids;
    }),
  );
  await chaos.done;
  const deployments = results.flat();
  // Let the last edits and replies go out before counting: quiet for longer than a dead bot's channel lease.
  let calls = -1;
  while (calls !== fake.calls.length && Date.now() < deadline + 60_000) {
    calls = fake.calls.length;
    await new Promise((r) => setTimeout(r, 8_000));
  }

  // Final states, approvals, audit chains.
  const problems: string[] = [];
  for (const { id, rollback, incident, stuck } of deployments) {
    if (stuck) problems.push(`${id} did not finish: ${stuck}`);
    const d = await store.get(id);
    const want = rollback ? 'rolled_back' : 'succeeded';
    if (d?.state !== want) problems.push(`${id} is ${d?.state}, not ${want}`);
    const audit = await store.audit(id);
    const approvals = audit
      .filter((r) => r.type === 'gate.approval' || r.type === 'gate.approved')
      .map((r) => r.actor);
    if (approvals.length !== 2 || new Set(approvals).size !== 2)
      problems.push(`${id} counted approvals ${JSON.stringify(approvals)}`);
    if (!verifyAuditChain(audit).ok) problems.push(`${id} audit chain does not verify`);
    const status = fake.messages.filter((m) => deliveryOf(m) === `${id}:status`);
    if (status.length !== 1) problems.push(`${id} has ${status.length} status messages`);
    else if (!status[0]?.text.startsWith(STATE_ICON[want]))
      problems.push(`${id} status reads ${status[0]?.text.split('\n')[0]}`);
    if (incident) {
      const inc = await incidents.get(incident);
      if (!inc?.ack) problems.push(`${incident} was not acknowledged`);
      const incAudit = await incidents.audit(incident);
      if (!verifyAuditChain(incAudit).ok) problems.push(`${incident} audit chain does not verify`);
      const acks = incAudit.filter((r) => r.type === 'incident.acknowledged');
      if (acks.length !== 1) problems.push(`${incident} has ${acks.length} ack records`);
      const pages = fake.messages.filter((m) => deliveryOf(m)?.startsWith(`${incident}:page:`));
      if (pages.length !== 1) problems.push(`${incident} paged ${pages.length} times in chat`);
    }
  }
  // No deployment nobody asked for (a start handled again after a crash must not begin another one).
  for (const lane of lanes) {
    const all = await store.list({ service: lane, limit: 50 });
    if (all.length !== ROUNDS)
      problems.push(
        `${lane} has ${all.length} deployments: ${all.map((d) => `${d.id} ${d.version}`).join(', ')}`,
      );
  }
  // Every chat message once: grouped by the delivery id it carries.
  const byDelivery = new Map<string, number>();
  for (const m of fake.messages) {
    const id = deliveryOf(m);
    if (id) byDelivery.set(id, (byDelivery.get(id) ?? 0) + 1);
  }
  for (const [id, n] of byDelivery) if (n > 1) problems.push(`${id} is in chat ${n} times`);
  const withoutId = fake.messages.filter((m) => deliveryOf(m) === undefined && m.channel.startsWith('C'));
  if (withoutId.length > 0) problems.push(`${withoutId.length} posts carry no delivery id`);
  // Every acknowledged command answered once.
  for (const tag of people.ackedCommands) {
    const answers = fake.responses.filter((r) => r.tag === tag).length;
    if (answers !== 1) problems.push(`command ${tag} was answered ${answers} times`);
  }
  // Non-idempotent steps ran at most once per deployment (counted by the steps themselves).
  const lines = async (file: string) =>
    (await readFile(join(dir, file), 'utf8').catch(() => '')).split('\n').filter(Boolean);
  const migrations = await lines('migrate.runs');
  for (const { id } of deployments) {
    const n = migrations.filter((l) => l === id).length;
    if (n > 1) problems.push(`${id} ran its non-idempotent migrate ${n} times`);
  }
  const builds = await lines('build.runs');
  const undos = await lines('undo.runs');

  const figures = {
    seed: random.seed,
    seconds: Math.round((Date.now() - started) / 1000),
    deployments: deployments.length,
    rolledBack: deployments.filter((d) => d.rollback).length,
    incidents: deployments.filter((d) => d.incident).length,
    kills: cluster.figures.kills,
    botKills: cluster.figures.botKills,
    killsBetweenPostAndAnswer: cluster.figures.midSendKills,
    killsWhileStarting: cluster.figures.killsWhileStarting,
    restarts: cluster.figures.restarts,
    restartSecondsMax: Math.round(Math.max(0, ...cluster.figures.restartMs) / 1000),
    redisRestarts: chaos.figures.redisRestarts,
    slackFaultBursts: chaos.figures.slackBursts,
    slackFaultAnswers: fake.calls.filter((c) => c.status === 429 || c.status === 500).length,
    stepRuns: { migrate: migrations.length, build: builds.length, undo: undos.length },
    decisions: deployments.reduce((n, d) => n + d.decisions, 0),
    requests: people.figures,
    commandsAnswered: people.ackedCommands.length,
    chatPosts: fake.messages.length,
    chatEdits: fake.messages.reduce((n, m) => n + m.updates, 0),
    strayCopiesDeleted: fake.deleted.length,
    lookups: fake.calls.filter(
      (c) => c.method.startsWith('conversations.') && c.method !== 'conversations.list',
    ).length,
  };
  console.log(`fault run figures: ${JSON.stringify(figures)}`);
  expect(problems).toEqual([]);
  await rm(logDir, { recursive: true, force: true });
  expect(figures.kills).toBeGreaterThanOrEqual(30);
  expect(figures.redisRestarts).toBe(2);
});
