/**
 * Whether this process's chat sends go through, by platform, for /readyz. Over Slack's HTTP mode nothing else says
 * so: Slack still calls Preflight while its Web API fails, so the bot stays ready (it records what it hears), and
 * /readyz says that its messages wait.
 */
import { countOf } from '../core/index.ts';

export interface SendHealth {
  /** Told each send's outcome (as the chat send queue reports it to /metrics), and why one failed. */
  observe(platform: string, outcome: string, reason?: string): void;
  /** Platforms whose last sends failed, with a line saying since when and what it means. */
  failing(now: number): Record<string, string>;
}

/** What says a platform did not take a message: a 5xx or timeout (retry), a post that could not be looked up. */
const FAILED = new Set(['retry', 'unsure']);

/** A reason is Preflight's own line (what failed, the platform's code, what to do): cut should one run long. */
const MAX_REASON_CHARS = 400;

export function createSendHealth(now: () => number = Date.now): SendHealth {
  const runs = new Map<string, { since: number; tries: number; reason?: string }>();
  return {
    observe(platform, outcome, reason) {
      if (outcome === 'sent') runs.delete(platform);
      if (!FAILED.has(outcome)) return;
      const run = runs.get(platform);
      const why = reason ?? run?.reason;
      runs.set(platform, {
        since: run?.since ?? now(),
        tries: (run?.tries ?? 0) + 1,
        ...(why !== undefined && { reason: why.slice(0, MAX_REASON_CHARS) }),
      });
    },
    failing(at) {
      return Object.fromEntries(
        [...runs].map(([platform, run]) => [
          `${platform}-sends`,
          `failing for ${Math.round(Math.max(0, at - run.since) / 1000)} s (${countOf(run.tries, 'try', 'tries')} in a row, ${run.reason === undefined ? 'the log says why' : `last: ${run.reason}`}): messages wait in order and go out once ${platform} takes them`,
        ]),
      );
    },
  };
}
