/**
 * Starts step processes from small long-lived helper processes (launcher-child.ts) instead of from the worker:
 * forking copies the whole parent, and a worker with Redis, Bolt and BullMQ loaded costs several times more CPU
 * to fork than the step itself. While steps run one at a time, each helper keeps a shell started ahead and a step
 * goes to a helper whose shell waits. Output, cancellation and the spawned pid travel over the IPC channel; if a helper dies, its running
 * steps are stopped and lost (StepProcessLost: recovered as after a worker crash), and a new helper replaces it.
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
  /** Starts the helpers now, so the first step does not wait for one (a Node process takes a few hundred ms). */
  warm(): void;
  /** Stops the helper processes (their running steps with them). */
  close(): Promise<void>;
}

function killQuietly(pid: number): void {
  try {
    process.kill(pid, 'SIGKILL');
  } catch {
    // Already gone.
  }
}

/**
 * How many helpers: while steps run one at a time (a deployment's chain, an approval), a helper with no step starts
 * a waiting shell (warm-shell.ts), which holds it for several milliseconds, and the next step goes to the other,
 * whose shell waits. Under many steps at once no shell is started ahead and every step starts from the first
 * helper, as a fork in each would take both cores from the worker.
 */
const HELPERS = 2;
/** Shells are started ahead only while at most this many steps run. */
const WARM_WHILE_RUNNING = 1;

interface Helper {
  readonly process: ChildProcess;
  /** It said its shell waits, and has been given no step since. */
  ready: boolean;
}

/** Creates the launcher; its helper processes start with the first step and are restarted if they die. */
export function createStepLauncher(): StepLauncher {
  let helpers: Helper[] = [];
  let nextId = 1;
  const pending = new Map<number, Pending>();

  /** The helpers never keep the worker alive on their own: they are referenced only while steps run. */
  const hold = (open: boolean) => {
    for (const helper of helpers) holdOpen(helper.process, open);
  };

  /** Asks each helper with no step and no waiting shell to start one, while few steps run. */
  const warmIdle = () => {
    if (pending.size > WARM_WHILE_RUNNING) return;
    const busy = new Set([...pending.values()].map((entry) => entry.launcher));
    for (const helper of helpers)
      if (!helper.ready && !busy.has(helper.process)) send(helper.process, { kind: 'warm' });
  };

  const settle = (id: number) => {
    const entry = pending.get(id);
    pending.delete(id);
    if (pending.size === 0) hold(false);
    // After the step's end is handed on: what it leads to (its commit, the next step) goes out first.
    setImmediate(warmIdle);
    return entry;
  };

  const onMessage = (helper: Helper, message: FromLauncher) => {
    if (message.kind === 'ready') {
      helper.ready = true;
      return;
    }
    const entry = pending.get(message.id);
    if (!entry) return;
    switch (message.kind) {
      case 'spawned':
        entry.pid = message.pid;
        if (message.warm) helper.ready = false;
        try {
          entry.options.onSpawn?.(message.pid);
        } catch {
          // A failing listener must not break the step.
        }
        break;
      case 'output':
        for (const { stream, chunk } of message.output) entry.sink.write(stream, Buffer.from(chunk));
        break;
      case 'note':
        entry.sink.note(message.line);
        break;
      case 'done':
        for (const { stream, chunk } of message.output ?? []) entry.sink.write(stream, Buffer.from(chunk));
        settle(message.id)?.resolve(message.outcome);
        break;
      case 'error':
        settle(message.id)?.reject(new Error(message.message));
        break;
    }
  };

  const onExit = (exited: ChildProcess, code: number | null, signal: NodeJS.Signals | null) => {
    helpers = helpers.filter((helper) => helper.process !== exited);
    const how = signal ? `was killed by ${signal}` : `exited with code ${code}`;
    for (const [id, entry] of [...pending]) {
      // Steps handed to another helper are not this one's to lose.
      if (entry.launcher !== exited) continue;
      if (entry.pid !== undefined) killQuietly(entry.pid);
      settle(id)?.reject(
        new StepProcessLost(
          `Preflight's step launcher process ${how} while the step ran; the step was stopped`,
        ),
      );
    }
  };

  const send = (target: ChildProcess, message: ToLauncher) => {
    if (target.connected) target.send(message);
  };

  const ensureHelpers = (): Helper[] => {
    helpers = helpers.filter((helper) => helper.process.connected);
    while (helpers.length < HELPERS) {
      const started = forkHelper(CHILD);
      const helper: Helper = { process: started, ready: false };
      started.on('message', (message: FromLauncher) => onMessage(helper, message));
      started.on('exit', (code, signal) => onExit(started, code, signal));
      started.on('error', () => undefined);
      holdOpen(started, pending.size > 0);
      helpers.push(helper);
      warmIdle();
    }
    return helpers;
  };

  /** A helper whose shell waits, else the first. */
  const pick = (): Helper => {
    const live = ensureHelpers();
    const helper = live.find((h) => h.ready) ?? (live[0] as Helper);
    helper.ready = false;
    return helper;
  };

  const spawn: SpawnStep = (command, program, options, sink) =>
    new Promise<StepOutcomeOnly>((resolve, reject) => {
      const target = pick().process;
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
      ensureHelpers();
    },
    async close() {
      await Promise.all(helpers.map((helper) => stopHelper(helper.process, CLOSE_GRACE_MS)));
    },
  };
}
