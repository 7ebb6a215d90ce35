/** What the worker and its step launcher process say to each other over their IPC channel. */
import type { StepCommand } from '../../core/index.ts';
import type { StepOutcomeOnly } from '../step-process.ts';

/** Worker → launcher. */
export type ToLauncher =
  | {
      readonly kind: 'run';
      readonly id: number;
      readonly command: StepCommand;
      readonly program: readonly string[];
    }
  | { readonly kind: 'cancel'; readonly id: number }
  /** Start a waiting shell now, if none waits and no step runs (answered by `ready` once it waits). */
  | { readonly kind: 'warm' };

/** Some of what a step printed. */
export interface OutputChunk {
  readonly stream: 'stdout' | 'stderr';
  readonly chunk: Uint8Array;
}

/** Launcher → worker. */
export type FromLauncher =
  | {
      readonly kind: 'spawned';
      readonly id: number;
      readonly pid: number;
      /** The step took the shell that waited (its `ready`, sent or on its way, is spent). */
      readonly warm?: true;
    }
  /** What the step printed since the last message, in order. */
  | { readonly kind: 'output'; readonly id: number; readonly output: readonly OutputChunk[] }
  | { readonly kind: 'note'; readonly id: number; readonly line: string }
  /** The step ended; with what it printed last, when that had not been sent yet. */
  | {
      readonly kind: 'done';
      readonly id: number;
      readonly outcome: StepOutcomeOnly;
      readonly output?: readonly OutputChunk[];
    }
  | { readonly kind: 'error'; readonly id: number; readonly message: string }
  /** Its waiting shell is started: a step sent now starts without a fork. */
  | { readonly kind: 'ready' };
