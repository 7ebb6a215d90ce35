/**
 * `preflight demo` (npm run demo): the whole story of the sandbox runbook in the terminal chat, non-interactively,
 * on a fresh embedded Redis: two deployments, a health failure, an incident paged L1 → L2, an ack, /rollback, the
 * reports. Exits 0 only when the story really happened.
 */

import { createReadStream, existsSync } from 'node:fs';
import { join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { createPreflight, type Preflight } from '../main.ts';
import { openConsoleLog } from './console-log.ts';
import { openConsoleSession } from './console-session.ts';
import { DEMO_DIR, type DemoSandbox, prepareDemoSandbox } from './demo-sandbox.ts';
import { onStopSignals } from './shutdown.ts';
import type { Output } from './validate-command.ts';
import { readConfigOrExit } from './worker-command.ts';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));
const SANDBOX = join(ROOT, 'examples/sandbox');
/** What must be true at the end of the story. */
async function checkStory(preflight: Preflight, { toy }: DemoSandbox): Promise<string[]> {
  const problems: string[] = [];
  const [latest] = await preflight.engine.store.list({ service: 'toy', limit: 1 });
  if (latest?.state !== 'rolled_back')
    problems.push(`the v1.3.0 deployment ended ${latest?.state ?? 'missing'}, not rolled_back`);
  const asker = latest?.rollback?.by;
  if (!latest?.rollback?.approvals.some((a) => a.by !== asker))
    problems.push('nobody but the person who asked approved the rollback');
  const incident = await preflight.engine.incidents.get('INC-1');
  if (!incident?.ack) problems.push('INC-1 was not acknowledged');
  if ((incident?.pages.length ?? 0) < 2) problems.push('INC-1 did not escalate to L2');
  const health = toy('check', '--version', 'v1.2.0');
  if (!health.startsWith('toy: ok')) problems.push(`the toy is not back on v1.2.0: ${health}`);
  return problems;
}

/** Runs the demo; returns the exit code. */
export async function runDemo(
  env: Record<string, string | undefined>,
  io: Output,
  options: { readonly dir?: string } = {},
): Promise<number> {
  const started = Date.now();
  const dir = options.dir === undefined ? join(ROOT, DEMO_DIR) : resolve(options.dir);
  const sandbox = await prepareDemoSandbox(SANDBOX, dir);
  const { toy } = sandbox;
  toy('break', '--version', 'v1.3.0', '--after', '8s');
  const config = readConfigOrExit({
    ...env,
    REDIS_URL: '',
    RUNBOOK: sandbox.runbook,
    LOG_LEVEL: env.LOG_LEVEL ?? 'info',
  });
  const logFile = join(dir, 'demo.log');
  const log = openConsoleLog(config.logLevel, logFile);
  const preflight = await createPreflight({
    config,
    env,
    work: true,
    embeddedRedisDir: join(dir, 'redis'),
    ...(log && { logDestination: log.destination }),
  });
  // A show, not a service: Ctrl-C ends it at once (exit handlers stop the embedded Redis).
  const removeSignals = onStopSignals(() => {
    toy('stop');
    process.exit(130);
  });
  try {
    const session = openConsoleSession(preflight, {
      user: 'alice',
      input: createReadStream(join(SANDBOX, 'demo-script.txt'), 'utf8'),
      output: process.stdout,
      interactive: false,
      settleTimeoutMs: 90_000,
      picturesDir: join(dir, 'reports'),
    });
    preflight.chat.queue.start();
    const code = await session.run();
    const problems =
      code === 0 ? await checkStory(preflight, sandbox) : [`the script stopped (exit ${code})`];
    const seconds = ((Date.now() - started) / 1000).toFixed(1);
    if (problems.length > 0) {
      // Plain: a CLI line is written with its control characters escaped, so a colour would show as `\u001b[31m`.
      io.err(
        `Demo FAILED after ${seconds}s: ${problems.join('; ')}. Logs: ${relative(process.cwd(), logFile)}`,
      );
      return 1;
    }
    io.out(
      `Demo finished in ${seconds}s: toy v1.3.0 failed its health checks, INC-1 paged L1 then L2, Carol acknowledged and asked for the rollback, Bob approved it (four eyes), back on v1.2.0; toy production stayed locked until Carol unlocked it with a reason.`,
    );
    const picture = join(dir, 'reports', 'toy-2-timeline.png');
    if (existsSync(picture)) {
      const shown = relative(process.cwd(), picture);
      io.out(`Timeline picture of toy-2: ${shown.startsWith('..') ? picture : shown}`);
    }
    io.out('Try it yourself: npx preflight console --as alice   (RUNBOOK=examples/sandbox/runbook.yaml)');
    return 0;
  } finally {
    // Handled until stopped, so a second Ctrl-C exits through process.exit and the embedded Redis goes with it.
    await preflight.stop().finally(removeSignals);
    toy('stop');
  }
}
