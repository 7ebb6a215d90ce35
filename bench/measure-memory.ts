/** RSS after a full GC, before and after many steps: what the process keeps per step it ran. */
import { environmentNames } from './bench-runbooks.ts';
import type { BenchWorld } from './bench-world.ts';
import { startDeployment, waitFinal } from './measure-steps.ts';

/** RSS in MB after a full collection (needs node --expose-gc; without it, plain RSS). */
export async function settledRssMb(): Promise<number> {
  const gc = (globalThis as { gc?: () => void }).gc;
  for (let i = 0; i < 3; i++) {
    gc?.();
    await new Promise((r) => setTimeout(r, 50));
  }
  return process.memoryUsage().rss / 2 ** 20;
}

/** Rounds of `deployments` × 10-step deployments until `steps` steps ran; resolves with the steps run. */
export async function runStepRounds(
  world: BenchWorld,
  user: string,
  deployments: number,
  steps: number,
): Promise<number> {
  let ran = 0;
  while (ran < steps) {
    const ids = await Promise.all(
      environmentNames(deployments).map((e) => startDeployment(world, user, 'burst', e)),
    );
    const done = await Promise.all(ids.map((id) => waitFinal(world, id, 300_000, 500)));
    ran += done.reduce((n, d) => n + d.steps.length, 0);
    // The fake Slack lives in this process and records every call and uploaded file (each report's timeline
    // picture): what it keeps is the bench's, not the bot's, so it is let go between rounds.
    world.fake.calls.splice(0);
    world.fake.uploads.splice(0);
  }
  return ran;
}
