/**
 * The faults of a run, all drawn from one seeded generator: SIGKILLs of bots and workers at random moments,
 * bots killed between a chat post and Slack's answer to it, Redis killed and restarted, and bursts of 429 and
 * 5xx from the fake Slack API.
 */
import type { FakeSlackApi } from '../helpers/fake-slack-api.ts';
import type { TestRedis } from '../helpers/redis-server.ts';
import type { Cluster } from './fault-cluster.ts';
import type { Random } from './seeded-random.ts';

export interface ChaosPlan {
  /** How long faults go on at least (ms from the start)… */
  readonly forMs: number;
  /** …and until this many SIGKILLs were sent (at most `maxMs`). */
  readonly kills: number;
  readonly maxMs: number;
  /** When Redis is killed (ms from the start). */
  readonly redisAt: readonly number[];
  readonly midSendKills: number;
}

export interface Chaos {
  readonly figures: { redisRestarts: number; slackBursts: number; slackFaults: number };
  /** Resolves once the faults are over and everything killed is up again. */
  readonly done: Promise<void>;
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** Starts the faults. */
export function startChaos(
  plan: ChaosPlan,
  deps: { cluster: Cluster; redis: TestRedis; fake: FakeSlackApi; random: Random },
): Chaos {
  const { cluster, redis, fake, random } = deps;
  const figures = { redisRestarts: 0, slackBursts: 0, slackFaults: 0 };
  const started = Date.now();
  const elapsed = () => Date.now() - started;
  const active = () =>
    elapsed() < plan.maxMs && (elapsed() < plan.forMs || cluster.figures.kills < plan.kills);
  const crashes: Promise<void>[] = [];
  let midSendLeft = plan.midSendKills;

  // A bot that posts is killed before Slack's answer reaches it, while the other bot is up to carry on.
  fake.beforeAnswer(async ({ method, token }) => {
    if (method !== 'chat.postMessage' || midSendLeft <= 0 || !active() || !random.chance(0.35)) return;
    const bot = cluster.botByToken(token);
    const down = cluster.members.filter((m) => m.restarting || m.launching || !m.child).length;
    if (!bot?.child || bot.restarting || cluster.liveBots().length < 2 || down >= 3) return;
    midSendLeft--;
    const crash = cluster.crash(bot, random.between(300, 1_500), true);
    crashes.push(crash);
    // Slack answers only once the bot is gone: the answer is lost with it.
    await new Promise<void>((resolve) => {
      const check = () => (bot.child === undefined || bot.restarting ? resolve() : setTimeout(check, 5));
      check();
    });
  });

  // At most three processes down at once and one bot always up, so people can still reach Preflight; a process
  // that is starting may be killed at any time (its start is tried again).
  const killLoop = async () => {
    while (active()) {
      await sleep(random.between(800, 2_400));
      if (!active()) break;
      const down = cluster.members.filter((m) => m.restarting || m.launching || !m.child).length;
      const liveBots = cluster.liveBots().length;
      const candidates = cluster.members.filter(
        (m) =>
          !m.restarting &&
          m.child &&
          ((m.launching && random.chance(0.3)) || (down < 3 && (m.role === 'worker' || liveBots > 1))),
      );
      if (candidates.length === 0) continue;
      crashes.push(cluster.crash(random.pick(candidates), random.between(300, 2_000)));
    }
  };

  const redisLoop = async () => {
    for (const at of plan.redisAt) {
      await sleep(Math.max(0, at - (Date.now() - started)));
      await redis.kill();
      await sleep(random.between(800, 2_500));
      await redis.restart();
      figures.redisRestarts++;
    }
  };

  const slackLoop = async () => {
    const methods = ['chat.postMessage', 'chat.update', 'conversations.replies', 'conversations.history'];
    while (active()) {
      await sleep(random.between(4_000, 9_000));
      const times = Math.floor(random.between(2, 6));
      const fault = random.chance(0.5) ? { status: 429 as const, retryAfter: 1 } : { status: 500 as const };
      // A burst is a moment of trouble: faults not met within it pass. (Left queued, they waited for the next
      // caller however late, and a bot retrying one lookup a minute later met a 500 every time.)
      fake.fail(random.pick(methods), fault, times, random.between(2_000, 5_000));
      figures.slackBursts++;
      figures.slackFaults += times;
    }
  };

  const done = Promise.all([killLoop(), redisLoop(), slackLoop()]).then(async () => {
    fake.beforeAnswer(undefined);
    while (crashes.length > 0) await Promise.all(crashes.splice(0));
    // Everything killed is up again before the run is judged.
    while (cluster.members.some((m) => m.launching || m.restarting || !m.child)) await sleep(250);
  });
  return { figures, done };
}
