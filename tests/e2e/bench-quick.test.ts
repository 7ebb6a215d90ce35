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

it('runs the quick bench to its end and prints one JSON object with every figure as its last line', async () => {
  const child = spawn(node, ['--expose-gc', '--max-semi-space-size=16', 'bench/run-bench.ts', '--quick'], {
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
  const figures = JSON.parse(last) as Record<string, unknown>;
  for (const key of KEYS) expect(Number.isFinite(figures[key]), `${key} in ${last}`).toBe(true);
  expect(stderr).toMatch(/bench: [\d.]+ s {2}done/);
}, 300_000);
