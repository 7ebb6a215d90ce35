/**
 * The step launcher: a small long-lived process that starts step processes for its worker, so a step's fork
 * copies this small process rather than the worker. It holds nothing of its own: when its worker goes away it
 * stops the steps it started and exits.
 */
import { spawnStep } from '../step-process.ts';
import type { FromLauncher, ToLauncher } from './launcher-messages.ts';

const running = new Map<number, AbortController>();
let leaving = false;

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
  try {
    const outcome = await spawnStep(
      message.command,
      message.program,
      { signal: controller.signal, onSpawn: (pid) => tell({ kind: 'spawned', id, pid }) },
      {
        write: (stream, chunk) => tell({ kind: 'output', id, stream, chunk }),
        note: (line) => tell({ kind: 'note', id, line }),
      },
    );
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
  else running.get(message.id)?.abort(new Error('the step was stopped'));
});

process.on('disconnect', () => {
  leaving = true;
  for (const controller of running.values()) controller.abort(new Error('the worker stopped'));
  leaveWhenIdle();
});

// A terminal's Ctrl-C reaches the whole process group: the worker decides when to stop, and this process follows.
for (const signal of ['SIGINT', 'SIGTERM'] as const) process.on(signal, () => undefined);
