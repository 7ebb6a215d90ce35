/**
 * Whether this process's chat sends go through, by platform, for /readyz. Over Slack's HTTP mode nothing else says
 * so: Slack still calls Preflight while its Web API fails, so the bot stays ready (it records what it hears), and
 * /readyz says that its messages wait.
 */
import { countOf } from '../core/index.ts';

export interface SendHealth {
  /** Told each send's outcome (as the chat send queue reports it to /metrics). */
  observe(platform: string, outcome: string): void;
  /** Platforms whose last sends failed, with a line saying since when and what it means. */
  failing(now: number): Record<string, string>;
}

/** What says a platform did not take a message: a 5xx or timeout (retry), a post that could not be looked up. */
const FAILED = new Set(['retry', 'unsure']);

export function createSendHealth(now: () => number = Date.now): SendHealth {
  const runs = new Map<string, { since: number; tries: number }>();
  return {
    observe(platform, outcome) {
      if (outcome === 'sent') runs.delete(platform);
      if (!FAILED.has(outcome)) return;
      const run = runs.get(platform);
      runs.set(platform, { since: run?.since ?? now(), tries: (run?.tries ?? 0) + 1 });
    },
    failing(at) {
      return Object.fromEntries(
        [...runs].map(([platform, run]) => [
          `${platform}-sends`,
          `failing for ${Math.round(Math.max(0, at - run.since) / 1000)} s (${countOf(run.tries, 'try', 'tries')} in a row, the log says why): messages wait in order and go out once ${platform} answers`,
        ]),
      );
    },
  };
}
