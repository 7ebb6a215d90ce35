/** RSS after a full GC, before and after many steps: what the process keeps per step it ran. */

import { getHeapSpaceStatistics } from 'node:v8';
import { environmentNames } from './bench-runbooks.ts';
import type { BenchWorld } from './bench-world.ts';
import { startDeployment, waitAllFinal } from './measure-steps.ts';

type Gc = (options?: { type: 'major'; execution: 'sync'; flavor: 'last-resort' }) => void;

/**
 * RSS in MB after a full collection that also gives back what V8 keeps for allocating (needs node --expose-gc;
 * without it, plain RSS). A plain collection leaves the young generation as large as the load made it (up to twice
 * --max-semi-space-size, resident whether or not anything lives there): the memory-reducing one V8 runs when it is
 * short of memory shrinks it, so what is left is what the process keeps.
 */
export async function settledRssMb(): Promise<number> {
  const gc = (globalThis as { gc?: Gc }).gc;
  for (let i = 0; i < 3; i++) {
    gc?.({ type: 'major', execution: 'sync', flavor: 'last-resort' });
    await new Promise((r) => setTimeout(r, 50));
  }
  return process.memoryUsage().rss / 2 ** 20;
}

/**
 * Where the RSS sits, for the progress log: the V8 heap as resident (its young generation apart, whose resident
 * size moves with V8's own sizing) and the rest outside V8 (native modules, malloc arenas, code, thread stacks).
 */
export function rssBreakdown(): string {
  const mb = (n: number) => (n / 2 ** 20).toFixed(1);
  const spaces = getHeapSpaceStatistics();
  const heap = spaces.reduce((n, s) => n + s.physical_space_size, 0);
  const young = spaces.find((s) => s.space_name === 'new_space')?.physical_space_size ?? 0;
  const { rss, heapUsed, external } = process.memoryUsage();
  return `RSS ${mb(rss)} MB: V8 heap ${mb(heap)} resident (young ${mb(young)}, used ${mb(heapUsed)}), outside V8 ${mb(rss - heap)} (external ${mb(external)})`;
}

export interface StepRounds {
  readonly steps: number;
  /** Final reports with their timeline picture that reached the fake Slack during the rounds. */
  readonly pictures: number;
}

/** Rounds of `deployments` × 10-step deployments until `steps` steps ran. */
export async function runStepRounds(
  world: BenchWorld,
  user: string,
  deployments: number,
  steps: number,
): Promise<StepRounds> {
  let ran = 0;
  let pictures = 0;
  while (ran < steps) {
    const ids = await Promise.all(
      environmentNames(deployments).map((e) => startDeployment(world, user, 'burst', e)),
    );
    const done = await waitAllFinal(world, ids, 300_000);
    ran += done.reduce((n, d) => n + d.steps.length, 0);
    pictures += world.fake.uploads.length;
    // The fake Slack lives in this process and records every call and uploaded file (each report's timeline
    // picture): what it keeps is the bench's, not the bot's, so it is let go between rounds.
    world.fake.calls.splice(0);
    world.fake.uploads.splice(0);
  }
  return { steps: ran, pictures };
}
