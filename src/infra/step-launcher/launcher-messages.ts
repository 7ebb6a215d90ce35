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

/** Launcher → worker. */
export type FromLauncher =
  | {
      readonly kind: 'spawned';
      readonly id: number;
      readonly pid: number;
      /** The step took the shell that waited (its `ready`, sent or on its way, is spent). */
      readonly warm?: true;
    }
  | {
      readonly kind: 'output';
      readonly id: number;
      readonly stream: 'stdout' | 'stderr';
      readonly chunk: Uint8Array;
    }
  | { readonly kind: 'note'; readonly id: number; readonly line: string }
  | { readonly kind: 'done'; readonly id: number; readonly outcome: StepOutcomeOnly }
  | { readonly kind: 'error'; readonly id: number; readonly message: string }
  /** Its waiting shell is started: a step sent now starts without a fork. */
  | { readonly kind: 'ready' };
