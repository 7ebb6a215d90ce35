/** What should not grow with history: /metrics, /deploy status and /deploy start with 10,000 stored deployments. */
import { createKeySpace, type Deployment } from '../src/core/index.ts';
import { median, waitUntil } from './bench-stats.ts';
import type { BenchWorld } from './bench-world.ts';
import { waitFinal } from './measure-steps.ts';

export interface HistoryFigures {
  readonly metricsMs: number;
  readonly statusMs: number;
  readonly startMs: number;
}

/** Median times of a scrape, a status reply (sent → reply at the response_url) and a start (sent → created). */
export async function measureHistoryCosts(
  world: BenchWorld,
  user: string,
  runs: number,
): Promise<HistoryFigures> {
  const scrapes: number[] = [];
  const statuses: number[] = [];
  const startsMs: number[] = [];
  for (let i = 0; i < runs; i++) {
    const t0 = performance.now();
    const res = await fetch(`${world.base}/metrics`);
    await res.text();
    scrapes.push(performance.now() - t0);
    statuses.push(await replyTime(world, user, '/deploy status'));
  }
  for (let i = 0; i < Math.ceil(runs / 3); i++) {
    const env = i % 2 === 0 ? 'e001' : 'e002';
    const sent = performance.timeOrigin + performance.now();
    const answer = await world.command(user, `/deploy start history v1.0.${i} ${env}`, 'C0GENERAL1');
    const reply = await waitUntil(
      'the /deploy start reply',
      () => world.fake.responses.find((r) => r.tag === answer.tag),
      30_000,
      2,
    );
    const id = /\b(history-\d+)\b/.exec(String(reply.body.text))?.[1];
    const created = id && (await world.preflight.engine.store.get(id));
    if (!created) throw new Error(`bench: /deploy start did not start: ${String(reply.body.text)}`);
    // Command sent → deployment created: the reply itself then waits for the thread it links (the channel's pace).
    startsMs.push(created.requestedAt - sent);
    await waitFinal(world, created.id, 60_000);
  }
  return { metricsMs: median(scrapes), statusMs: median(statuses), startMs: median(startsMs) };
}

async function replyTime(world: BenchWorld, user: string, line: string): Promise<number> {
  const sent = performance.timeOrigin + performance.now();
  const answer = await world.command(user, line, 'C0GENERAL1');
  const reply = await waitUntil(
    `the reply to ${line}`,
    () => world.fake.responses.find((r) => r.tag === answer.tag),
    30_000,
    2,
  );
  return reply.at - sent;
}

/** Writes `count` finished deployments of `template`'s service straight into the store's keys. */
export async function seedFinishedDeployments(
  world: BenchWorld,
  template: Deployment,
  count: number,
): Promise<void> {
  const { redis, prefix } = world.preflight;
  const keys = createKeySpace(prefix);
  const base = Date.now() - count * 60_000;
  for (let start = 0; start < count; start += 1_000) {
    const batch = redis.pipeline();
    for (let i = start; i < Math.min(count, start + 1_000); i++) {
      const id = `${template.service}-old${i}`;
      const at = base + i * 60_000;
      batch.set(
        keys.deployment(id),
        JSON.stringify({ ...template, id, requestedAt: at, finishedAt: at + 30_000 }),
      );
      batch.zadd(keys.deploymentIndex(template.service), at, id);
      batch.zadd(keys.deploymentIndex(), at, id);
    }
    await batch.exec();
  }
}
