/**
 * The step launcher: a small long-lived process that starts step processes for its worker, so a step's fork
 * copies this small process rather than the worker. When its worker asks, it keeps one bash started ahead
 * (warm-shell.ts), so the next `run` step starts without a fork; it starts one only while no step of its runs, as
 * forking holds this process for several milliseconds, and a step's end must not wait behind it. It holds nothing
 * of its own: when its worker goes away it stops the steps it started, lets its waiting shell go, and exits.
 */
import { onExit } from 'signal-exit';
import { spawnStep } from '../step-process.ts';
import { bashOf, canRunWarm, startWarmShell, type WarmShell } from '../warm-shell.ts';
import type { FromLauncher, OutputChunk, ToLauncher } from './launcher-messages.ts';

const running = new Map<number, AbortController>();
let leaving = false;
let warm: WarmShell | undefined;
/**
 * The system's bash, the one waiting shells run: a step whose PATH finds another bash first (a wrapper, a version
 * of its own) starts anew, so nothing of the runbook's own runs before its step is asked for.
 */
const bash = bashOf({ cwd: '/', env: { PATH: '/usr/bin:/bin' }, timeoutMs: 0 });

/**
 * Starts a warm shell when its worker asks and none waits, and no step runs here (forking while one runs would
 * delay its end); the worker is told once it waits, and sends its next step here.
 */
function warmUp(): void {
  if (leaving || running.size > 0 || warm?.alive() || bash === undefined) return;
  warm?.discard();
  warm = startWarmShell(bash, () => tell({ kind: 'ready' }));
}

/** The waiting shell, which is then no longer waiting (undefined when none waits). */
function takeWarm(): WarmShell | undefined {
  if (!warm?.alive()) return undefined;
  const shell = warm;
  warm = undefined;
  return shell;
}

/**
 * A step's output goes to the worker at most this often, and with its end when it ends meanwhile: a short step's
 * output and end are one message (each message wakes the worker, which costs more than the step's own work here).
 */
const OUTPUT_EVERY_MS = 5;

/** Collects a step's output between messages. */
function outputBatch(id: number) {
  let output: OutputChunk[] = [];
  let timer: NodeJS.Timeout | undefined;
  const take = () => {
    clearTimeout(timer);
    timer = undefined;
    const taken = output;
    output = [];
    return taken;
  };
  return {
    write(stream: OutputChunk['stream'], chunk: Buffer) {
      output.push({ stream, chunk });
      timer ??= setTimeout(() => tell({ kind: 'output', id, output: take() }), OUTPUT_EVERY_MS);
    },
    /** Sends what waits (before a note, so the two keep their order). */
    flush() {
      if (output.length > 0) tell({ kind: 'output', id, output: take() });
    },
    take,
  };
}

function tell(message: FromLauncher): void {
  // A worker that is already gone makes the send fail (EPIPE): ignored, the disconnect handler stops the steps.
  if (process.connected) process.send?.(message, undefined, undefined, () => undefined);
}

function leaveWhenIdle(): void {
  if (leaving && running.size === 0) process.exit(0);
}

async function run(message: Extract<ToLauncher, { kind: 'run' }>): Promise<void> {
  const { id } = message;
  const controller = new AbortController();
  running.set(id, controller);
  const { command } = message;
  // Only a command it runs exactly as a fresh bash would; anything else starts anew.
  const script = warm && canRunWarm(command, warm.bash) ? command : undefined;
  const shell = script && takeWarm();
  // The worker is told the waiting shell was taken, with the pid: a `ready` it had before is then spent.
  const taken = shell !== undefined;
  const options = {
    signal: controller.signal,
    onSpawn: (pid: number) => tell({ kind: 'spawned', id, pid, ...(taken && { warm: true as const }) }),
  };
  const batch = outputBatch(id);
  const sink = {
    write: batch.write,
    note: (line: string) => {
      batch.flush();
      tell({ kind: 'note', id, line });
    },
  };
  try {
    const outcome =
      shell && script
        ? await shell.run(script, options, sink)
        : await spawnStep(command, message.program, options, sink);
    const output = batch.take();
    tell({ kind: 'done', id, outcome, ...(output.length > 0 && { output }) });
  } catch (error) {
    batch.flush();
    tell({ kind: 'error', id, message: String(error) });
  } finally {
    running.delete(id);
    leaveWhenIdle();
  }
}

process.on('message', (message: ToLauncher) => {
  if (message.kind === 'run') void run(message);
  // On the next turn: a step's end told just before leaves first.
  else if (message.kind === 'warm') setImmediate(warmUp);
  else running.get(message.id)?.abort(new Error('the step was stopped'));
});

process.on('disconnect', () => {
  leaving = true;
  warm?.discard();
  warm = undefined;
  for (const controller of running.values()) controller.abort(new Error('the worker stopped'));
  leaveWhenIdle();
});

// A terminal's Ctrl-C reaches the whole process group: the worker decides when to stop, and this process follows.
for (const signal of ['SIGINT', 'SIGTERM'] as const) process.on(signal, () => undefined);

// execa stops a step's process when this one ends, through signal-exit, which otherwise takes its handlers for every
// signal off when the last process ends and puts them back for the next: about a hundred system calls a step. A
// handler of its own keeps them in place, with the same effect.
onExit(() => undefined);
