/** Closing a process's parts without letting one that hangs hold the whole stop. */
import type { Logger } from './infra/logger.ts';

/** How long closing a part that only holds short work may take before the stop goes on without it. */
const SHORT_STOP_MS = 15_000;

/** Waits for `closing`, at most `ms`; then logs which part did not close and goes on. */
export async function boundedStop(
  part: string,
  closing: Promise<void>,
  log: Pick<Logger, 'warn'>,
  ms = SHORT_STOP_MS,
): Promise<void> {
  let timer: NodeJS.Timeout | undefined;
  const late = new Promise<'late'>((resolve) => {
    timer = setTimeout(() => resolve('late'), ms);
  });
  try {
    if ((await Promise.race([closing, late])) === 'late')
      log.warn(
        { part, waitedMs: ms },
        'a part did not close in time; stopping without it (its work is handled again elsewhere)',
      );
  } finally {
    clearTimeout(timer);
  }
}
