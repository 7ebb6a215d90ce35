/**
 * Starts step processes from a small long-lived helper process (launcher-child.ts) instead of from the worker:
 * forking copies the whole parent, and a worker with Redis, Bolt and BullMQ loaded costs several times more CPU
 * to fork than the step itself. Output, cancellation and the spawned pid travel over the IPC channel; if the
 * helper dies, its running steps are stopped and lost (StepProcessLost: recovered as after a worker crash), and
 * the next step starts a new helper.
 */
import type { ChildProcess } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { forkHelper, holdOpen, stopHelper } from '../helper-process.ts';
import {
  type OutputSink,
  type SpawnOptions,
  type SpawnStep,
  type StepOutcomeOnly,
  StepProcessLost,
} from '../step-process.ts';
import type { FromLauncher, ToLauncher } from './launcher-messages.ts';

const CHILD = fileURLToPath(new URL('./launcher-child.ts', import.meta.url));
const CLOSE_GRACE_MS = 10_000;

interface Pending {
  /** The helper process running it. */
  readonly launcher: ChildProcess;
  readonly sink: OutputSink;
  readonly options: SpawnOptions;
  readonly resolve: (outcome: StepOutcomeOnly) => void;
  readonly reject: (error: Error) => void;
  pid?: number;
}

export interface StepLauncher {
  readonly spawn: SpawnStep;
  /** Starts the helper now, so the first step does not wait for it (a Node process takes a few hundred ms). */
  warm(): void;
  /** Stops the helper process (its running steps with it). */
  close(): Promise<void>;
}

function killQuietly(pid: number): void {
  try {
    process.kill(pid, 'SIGKILL');
  } catch {
    // Already gone.
  }
}

/** Creates the launcher; the helper process is started with the first step and restarted if it dies. */
export function createStepLauncher(): StepLauncher {
  let child: ChildProcess | undefined;
  let nextId = 1;
  const pending = new Map<number, Pending>();

  /** The helper never keeps the worker alive on its own: it is referenced only while steps run. */
  const hold = (open: boolean) => {
    if (child) holdOpen(child, open);
  };

  const settle = (id: number) => {
    const entry = pending.get(id);
    pending.delete(id);
    if (pending.size === 0) hold(false);
    return entry;
  };

  const onMessage = (message: FromLauncher) => {
    const entry = pending.get(message.id);
    if (!entry) return;
    switch (message.kind) {
      case 'spawned':
        entry.pid = message.pid;
        try {
          entry.options.onSpawn?.(message.pid);
        } catch {
          // A failing listener must not break the step.
        }
        break;
      case 'output':
        entry.sink.write(message.stream, Buffer.from(message.chunk));
        break;
      case 'note':
        entry.sink.note(message.line);
        break;
      case 'done':
        settle(message.id)?.resolve(message.outcome);
        break;
      case 'error':
        settle(message.id)?.reject(new Error(message.message));
        break;
    }
  };

  const onExit = (exited: ChildProcess, code: number | null, signal: NodeJS.Signals | null) => {
    if (child === exited) child = undefined;
    const how = signal ? `was killed by ${signal}` : `exited with code ${code}`;
    for (const [id, entry] of [...pending]) {
      // Steps already handed to a newer helper are not this one's to lose.
      if (entry.launcher !== exited) continue;
      if (entry.pid !== undefined) killQuietly(entry.pid);
      settle(id)?.reject(
        new StepProcessLost(
          `Preflight's step launcher process ${how} while the step ran; the step was stopped`,
        ),
      );
    }
  };

  const ensureChild = (): ChildProcess => {
    if (child?.connected) return child;
    const started = forkHelper(CHILD);
    started.on('message', onMessage);
    started.on('exit', (code, signal) => onExit(started, code, signal));
    started.on('error', () => undefined);
    child = started;
    if (pending.size === 0) hold(false);
    return started;
  };

  const send = (target: ChildProcess, message: ToLauncher) => {
    if (target.connected) target.send(message);
  };

  const spawn: SpawnStep = (command, program, options, sink) =>
    new Promise<StepOutcomeOnly>((resolve, reject) => {
      const target = ensureChild();
      const id = nextId++;
      const cancel = () => send(target, { kind: 'cancel', id });
      const stopListening = () => options.signal.removeEventListener('abort', cancel);
      pending.set(id, {
        launcher: target,
        sink,
        options,
        resolve: (outcome) => {
          stopListening();
          resolve(outcome);
        },
        reject: (error) => {
          stopListening();
          reject(error);
        },
      });
      hold(true);
      options.signal.addEventListener('abort', cancel, { once: true });
      send(target, { kind: 'run', id, command, program });
      if (options.signal.aborted) cancel();
    });

  return {
    spawn,
    warm() {
      ensureChild();
    },
    async close() {
      if (child) await stopHelper(child, CLOSE_GRACE_MS);
    },
  };
}
