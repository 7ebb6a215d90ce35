/**
 * Stop signals for long-running commands. The first SIGINT or SIGTERM asks for a graceful stop; a second one
 * stops at once through process.exit, so exit handlers still run and an embedded Redis is not left behind. A
 * step cut short that way is found by the next worker, as after a crash.
 */
import { writeErrorLine } from './error-output.ts';

interface ShutdownLog {
  info(o: object, m?: string): void;
  warn(o: object, m?: string): void;
  error(o: object, m?: string): void;
}

/** How long a graceful stop waits for an unreachable Redis to come back before it stops without it. */
const REDIS_GONE_MS = 10_000;

const SIGNALS: readonly NodeJS.Signals[] = ['SIGINT', 'SIGTERM'];

/** Calls `first` on the first stop signal; returns a function that removes the handlers. */
export function onStopSignals(first: (signal: NodeJS.Signals) => void, log?: ShutdownLog): () => void {
  const now = (signal: NodeJS.Signals) => {
    log?.warn({ signal }, 'stopping now, without waiting for running jobs');
    process.exit(130);
  };
  const once = (signal: NodeJS.Signals) => {
    for (const s of SIGNALS) process.off(s, once).on(s, now);
    first(signal);
  };
  for (const s of SIGNALS) process.on(s, once);
  return () => {
    for (const s of SIGNALS) process.off(s, once).off(s, now);
  };
}

/** Resolves on the first SIGTERM or SIGINT, so a process can stop its workers gracefully. */
export function waitForShutdown(log: ShutdownLog): Promise<void> {
  return new Promise((resolve) => {
    onStopSignals((signal) => {
      log.info({ signal }, 'shutting down: finishing running jobs (send the signal again to stop now)');
      resolve();
    }, log);
  });
}

/**
 * Runs a graceful stop, unless Redis stays unreachable for 10 s while it runs: then nothing can be committed, and
 * the stop would wait on Redis until the orchestrator's SIGKILL. It exits (code 1) instead, as a second signal
 * would; a step cut short is found by the next worker, as after a crash.
 */
export async function stopGracefully(
  stop: () => Promise<void>,
  redis: { readonly status: string },
  log: ShutdownLog,
  goneMs = REDIS_GONE_MS,
): Promise<void> {
  let downSince: number | undefined;
  const watch = setInterval(() => {
    if (redis.status === 'ready') {
      downSince = undefined;
      return;
    }
    downSince ??= Date.now();
    if (Date.now() - downSince < goneMs) return;
    log.error(
      { redis: redis.status, waitedMs: goneMs },
      'Redis is unreachable, so running jobs cannot record their results: stopping now; the next worker finds any step cut short, as after a crash',
    );
    writeErrorLine(
      `preflight: Redis was unreachable for ${goneMs / 1000} s while stopping, so the running jobs could not record their results: stopped without them; the next worker finds any step cut short, as after a crash`,
    );
    process.exit(1);
  }, 250);
  watch.unref();
  try {
    await stop();
  } finally {
    clearInterval(watch);
  }
}

/**
 * For the long-running commands: a promise that fails with nobody waiting for it (a background read during a Redis
 * failover, say) is logged, and the bot or worker carries on, instead of ending with its running steps cut short.
 */
export function logUnhandledRejections(log: ShutdownLog): void {
  process.on('unhandledRejection', (reason) =>
    log.error({ err: reason }, 'a background operation failed with nobody waiting for it; carrying on'),
  );
}
