/**
 * A worker stand-in for the step launcher tests: starts `sleep 300` through the step launcher, prints the
 * step's pid and its launcher's pid as one JSON line, then waits to be killed.
 */
import { readFileSync } from 'node:fs';
import { createStepLauncher } from '../../src/infra/step-launcher/step-launcher.ts';

const launcher = createStepLauncher();
const keepAlive = setInterval(() => undefined, 60_000);
void launcher.spawn(
  { run: 'sleep 300', cwd: '/', env: { PATH: process.env.PATH ?? '/usr/bin:/bin' }, timeoutMs: 600_000 },
  ['sleep', '300'],
  {
    signal: new AbortController().signal,
    onSpawn: (pid) => {
      const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
      const launcherPid = Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]);
      process.stdout.write(`${JSON.stringify({ step: pid, launcher: launcherPid })}\n`);
    },
  },
  { write: () => undefined, note: () => undefined },
);
process.on('SIGTERM', () => clearInterval(keepAlive));
