/**
 * `npm run bench -- --quick` as a developer runs it: the real script in its own process, to its end. Only that it
 * finishes and prints every figure of design.md §11 is checked here; the figures themselves depend on the machine
 * and are read from the bench's own output, never asserted in a test.
 */
import { spawn } from 'node:child_process';
import { join } from 'node:path';
import { expect, it } from 'vitest';
import { repoRoot } from '../helpers/load-runbook.ts';

const node = join(repoRoot, 'node_modules/.bin/node');

/** design.md §11 and the issue that asked for the bench name these keys. */
const KEYS = [
  'stepOverheadMs',
  'stepOverheadRatio',
  'approvalToStepMsP95',
  'commandAckMsP99',
  'stepsPerSecond',
  'rawStepsPerSecond',
  'rawJobsPerSecond',
  'memoryGrowthMb',
  'timerLateMsP99',
  'rawSpawnMsP95',
  'relayLagMsP95',
  'reportLagMs',
  'gatePromptLagMsP95',
  'gatePromptFloorMsP95',
];

/** Runs the bench script with `flags` to its end: its exit status, stdout and stderr. */
async function runBench(flags: readonly string[]) {
  const child = spawn(node, ['--expose-gc', '--max-semi-space-size=16', 'bench/run-bench.ts', ...flags], {
    cwd: repoRoot,
    env: { ...process.env, MALLOC_ARENA_MAX: '2', NO_COLOR: '1' },
    timeout: 280_000,
  });
  let stdout = '';
  let stderr = '';
  child.stdout.setEncoding('utf8').on('data', (chunk: string) => {
    stdout += chunk;
  });
  child.stderr.setEncoding('utf8').on('data', (chunk: string) => {
    stderr += chunk;
  });
  const status = await new Promise<number | null>((resolve, reject) => {
    child.on('error', reject);
    child.on('close', resolve);
  });
  expect(status, stderr.slice(-3000)).toBe(0);
  const last = stdout.trim().split('\n').at(-1) ?? '';
  return { figures: JSON.parse(last) as Record<string, unknown>, last, stderr };
}

it('runs the quick bench to its end and prints one JSON object with every figure as its last line', async () => {
  const { figures, last, stderr } = await runBench(['--quick']);
  for (const key of KEYS) expect(Number.isFinite(figures[key]), `${key} in ${last}`).toBe(true);
  expect(stderr).toMatch(/bench: [\d.]+ s {2}done/);
}, 300_000);

it('traces approvals: every stage the ✅ passes through in Redis is found for each traced approval', async () => {
  const { figures, last, stderr } = await runBench(['--quick', '--trace']);
  expect(figures.tracedApprovals, stderr.slice(-3000)).toBe(4);
  const stages = ['recorded', 'taken', 'read', 'committed', 'leased', 'started'].map(
    (stage) => figures[`${stage}MsMedian`] as number,
  );
  for (const at of stages) expect(Number.isFinite(at), last).toBe(true);
  // Found in Redis one after another; the step, by its own clock, starts after the commit that asked for it.
  expect(figures.startedMsMedian as number, last).toBeGreaterThan(figures.committedMsMedian as number);
  expect(stderr).toMatch(/recorded .*the inbox entry is in Redis/);
}, 300_000);
