import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { Harness } from '../../helpers/engine-harness.ts';
import { engineRunbook, LOG_RUN } from '../../helpers/engine-runbooks.ts';
import { useEngineSuite } from '../../helpers/engine-suite.ts';
import { spawnCliWorker } from '../../helpers/spawn-worker.ts';

const suite = useEngineSuite();
const { workers } = suite;
let h: Harness | undefined;

const steps = [1, 2, 3, 4, 5]
  .map(
    (n) =>
      `    - { id: s${n}, title: Step ${n}, ${n === 1 ? 'needs: [go], ' : ''}run: '${LOG_RUN}; sleep 0.05' }`,
  )
  .join('\n');

describe('several workers on one Redis', () => {
  it('run every step of many deployments exactly once', async () => {
    // The real `preflight worker` uses the default key prefix; the bot side here shares it.
    h = await suite.start({ runbook: engineRunbook(steps), work: false, prefix: 'pf:' });
    const dir = h.dir;
    const runbook = join(dir, 'runbook.yaml');
    // PORT=0: each worker serves /healthz, /readyz and /metrics on a free port it names in its start line.
    const spawned = await Promise.all(
      [1, 2, 3].map(() => spawnCliWorker(suite.redis.url, runbook, dir, 20_000, undefined, { PORT: '0' })),
    );
    workers.push(...spawned);
    const ids: string[] = [];
    for (let i = 0; i < 8; i++) {
      const started = await h.start('v1.0.0', 'ann', i % 2 === 0 ? 'production' : 'staging');
      if (!started.ok) {
        // The other environment's lock is held by a running deployment: wait for it.
        await h.waitFor(ids[ids.length - 2] ?? '', (d) => d.state === 'succeeded', 30_000);
        i--;
        continue;
      }
      ids.push(started.deployment.id);
      await h.apply(started.deployment.id, { type: 'gate.approve', gate: 'go', by: 'ben' });
    }
    for (const id of ids) await h.waitFor(id, (d) => d.state === 'succeeded', 60_000);
    const runs = await h.runs();
    expect(runs).toHaveLength(ids.length * 5);
    expect(new Set(runs).size).toBe(runs.length);
    for (const id of ids) for (let n = 1; n <= 5; n++) expect(runs).toContain(`${id} s${n} 1`);
    // Each step a worker ran is counted in that worker's own /metrics; together they count every step.
    let counted = 0;
    for (const worker of spawned) {
      const port = /"port":(\d+)/.exec(worker.output())?.[1];
      const text = await (await fetch(`http://127.0.0.1:${port}/metrics`)).text();
      for (const m of text.matchAll(/^preflight_step_duration_seconds_count\{[^}]*\} (\d+)$/gm))
        counted += Number(m[1]);
    }
    expect(counted).toBe(ids.length * 5);
  });
});

describe('Redis killed and restarted mid-deployment', () => {
  it('the deployment continues where it was', async () => {
    const slow = `    - { id: one, title: One, needs: [go], run: '${LOG_RUN}; sleep 2' }\n    - { id: two, title: Two, run: '${LOG_RUN}' }`;
    h = await suite.start({ runbook: engineRunbook(slow) });
    const started = await h.start('v1.0.0');
    if (!started.ok) throw started.error;
    const id = started.deployment.id;
    await h.apply(id, { type: 'gate.approve', gate: 'go', by: 'ben' });
    await h.waitFor(id, (d) => d.steps[0]?.status === 'running');
    await suite.redis.kill();
    await new Promise((r) => setTimeout(r, 1_000));
    await suite.redis.restart();
    const d = await h.waitFor(id, (x) => x.state === 'succeeded', 40_000);
    expect(d.steps.map((s) => s.status)).toEqual(['succeeded', 'succeeded']);
    expect(await h.runs()).toEqual([`${id} one 1`, `${id} two 1`]);
  });
});
