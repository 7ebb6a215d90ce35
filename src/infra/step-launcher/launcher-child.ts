/**
 * The step launcher: a small long-lived process that starts step processes for its worker, so a step's fork
 * copies this small process rather than the worker. It holds nothing of its own: when its worker goes away it
 * stops the steps it started, lets its held processes go, and exits.
 */
import { isDeepStrictEqual } from 'node:util';
import { type HeldStep, holdStep } from '../held-step.ts';
import { spawnStep } from '../step-process.ts';
import type { FromLauncher, ToLauncher } from './launcher-messages.ts';

/** A held process nobody released by then is let go (its run started elsewhere, or its worker forgot it). */
const HOLD_LIMIT_MS = 10_000;

const running = new Map<number, AbortController>();
const held = new Map<string, { step: HeldStep; timer: NodeJS.Timeout }>();
let leaving = false;

function tell(message: FromLauncher): void {
  // A worker that is already gone makes the send fail (EPIPE): ignored, the disconnect handler stops the steps.
  if (process.connected) process.send?.(message, undefined, undefined, () => undefined);
}

function leaveWhenIdle(): void {
  if (leaving && running.size === 0) process.exit(0);
}

/** The process held for `key`, taken out of the waiting list (undefined when none). */
function take(key: string | undefined): HeldStep | undefined {
  const entry = key === undefined ? undefined : held.get(key);
  if (!entry || key === undefined) return undefined;
  held.delete(key);
  clearTimeout(entry.timer);
  return entry.step;
}

function hold(message: Extract<ToLauncher, { kind: 'hold' }>): void {
  if (leaving || held.has(message.key)) return;
  const step = holdStep(message.command);
  if (!step) return;
  const timer = setTimeout(() => take(message.key)?.discard(), HOLD_LIMIT_MS);
  timer.unref();
  held.set(message.key, { step, timer });
}

async function run(message: Extract<ToLauncher, { kind: 'run' }>): Promise<void> {
  const { id } = message;
  const controller = new AbortController();
  running.set(id, controller);
  const options = { signal: controller.signal, onSpawn: (pid: number) => tell({ kind: 'spawned', id, pid }) };
  const sink = {
    write: (stream: 'stdout' | 'stderr', chunk: Buffer) => tell({ kind: 'output', id, stream, chunk }),
    note: (line: string) => tell({ kind: 'note', id, line }),
  };
  const ready = take(message.key);
  // Only the very command it was held for, still waiting: anything else starts anew.
  const usable = ready?.alive() && isDeepStrictEqual(ready.command, message.command) ? ready : undefined;
  if (ready && !usable) ready.discard();
  try {
    const outcome = usable
      ? await usable.release(options, sink)
      : await spawnStep(message.command, message.program, options, sink);
    tell({ kind: 'done', id, outcome });
  } catch (error) {
    tell({ kind: 'error', id, message: String(error) });
  } finally {
    running.delete(id);
    leaveWhenIdle();
  }
}

process.on('message', (message: ToLauncher) => {
  if (message.kind === 'run') void run(message);
  else if (message.kind === 'hold') hold(message);
  else if (message.kind === 'discard') take(message.key)?.discard();
  else running.get(message.id)?.abort(new Error('the step was stopped'));
});

process.on('disconnect', () => {
  leaving = true;
  for (const key of [...held.keys()]) take(key)?.discard();
  for (const controller of running.values()) controller.abort(new Error('the worker stopped'));
  leaveWhenIdle();
});

// A terminal's Ctrl-C reaches the whole process group: the worker decides when to stop, and this process follows.
for (const signal of ['SIGINT', 'SIGTERM'] as const) process.on(signal, () => undefined);
