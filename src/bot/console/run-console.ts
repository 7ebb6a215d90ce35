/**
 * Runs the terminal chat: interactive at a TTY (prompt, history, Ctrl-D ends), or a script read line by line.
 * A script's lines are echoed into the transcript; when it ends, the console waits until Preflight has settled
 * (nothing running, nothing left to send) before it returns.
 */
import { formatDuration } from '../../core/index.ts';
import type { ConsoleInput } from './console-input.ts';
import type { ConsoleTerminal } from './console-terminal.ts';

/** The console loop: its terminal, its input, and how to tell that Preflight has settled. */
export interface RunConsoleDeps {
  readonly terminal: ConsoleTerminal;
  readonly input: ConsoleInput;
  readonly interactive: boolean;
  /** True when Preflight has nothing of its own left to do now. */
  readonly settled: () => Promise<boolean>;
  /** What is still under way, for the message when settling times out. */
  readonly pending: () => Promise<string>;
  /** Stops the console early (SIGINT, SIGTERM): it returns 130. */
  readonly signal?: AbortSignal;
  /** How long `settled()` must hold continuously (default 1 s), polled every `pollMs` (100 ms). */
  readonly settleMs?: number;
  readonly pollMs?: number;
  /** The most a script's end waits for Preflight to settle (default 120 s). */
  readonly settleTimeoutMs?: number;
}

const pause = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

async function waitUntilSettled(deps: RunConsoleDeps): Promise<boolean> {
  const pollMs = deps.pollMs ?? 100;
  const settleMs = deps.settleMs ?? 1_000;
  const deadline = Date.now() + (deps.settleTimeoutMs ?? 120_000);
  let since: number | undefined;
  while (!deps.signal?.aborted) {
    const now = Date.now();
    if (await deps.settled()) {
      since ??= now;
      if (now - since >= settleMs) return true;
    } else since = undefined;
    if (now >= deadline) return false;
    await pause(pollMs);
  }
  return true;
}

async function readLines(deps: RunConsoleDeps): Promise<number> {
  const { terminal, input, interactive } = deps;
  terminal.prompt(input.user());
  for await (const line of terminal.lines) {
    const ok = await input.handle(line, { echo: !interactive });
    if (!ok && !interactive) return 1;
    terminal.prompt(input.user());
  }
  return 0;
}

/** Runs the console until its input ends; returns the exit code (0, 1 when a script failed, 130 when stopped). */
export async function runConsole(deps: RunConsoleDeps): Promise<number> {
  const stopped = new Promise<number>((resolve) => {
    if (deps.signal?.aborted) resolve(130);
    deps.signal?.addEventListener('abort', () => resolve(130), { once: true });
  });
  try {
    const code = await Promise.race([readLines(deps), stopped]);
    if (code !== 0 || deps.interactive) return code;
    const settled = await Promise.race([waitUntilSettled(deps), stopped.then(() => true)]);
    if (deps.signal?.aborted) return 130;
    if (settled) return 0;
    const limit = formatDuration(Math.round((deps.settleTimeoutMs ?? 120_000) / 1000) * 1000);
    deps.terminal.write(
      `✗ the script ended, but Preflight was still busy ${limit} later: ${await deps.pending()}`,
    );
    return 1;
  } finally {
    deps.terminal.close();
  }
}
