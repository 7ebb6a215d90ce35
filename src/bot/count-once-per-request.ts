/** The command counter of the dispatcher: a request handled again (its answer could not be delivered) counts once. */
import type { Telemetry } from '../core/index.ts';

/** How many recent requests the command counter remembers, to count a request handled again once. */
const COUNTED_REQUESTS = 10_000;

/**
 * Counts each request's command once: an inbox entry is handled again when its answer could not be delivered
 * (Slack failed the response_url), and that is still one command typed, not one per try.
 */
export function countOncePerRequest(
  telemetry: Pick<Telemetry, 'commandHandled'> | undefined,
): (request: string | undefined) => Pick<Telemetry, 'commandHandled'> | undefined {
  if (!telemetry) return () => undefined;
  const counted = new Set<string>();
  return (request) => {
    if (request === undefined) return telemetry;
    return {
      commandHandled(command, outcome) {
        if (counted.has(request)) return;
        counted.add(request);
        if (counted.size > COUNTED_REQUESTS) counted.delete(counted.values().next().value as string);
        telemetry.commandHandled(command, outcome);
      },
    };
  };
}
