/**
 * Warnings for a command the person runs (`audit`, `console`): one readable line each on standard error, where the
 * bot and workers log JSON for a log collector.
 */
import { routeLibraryWarnings } from '../infra/library-warnings.ts';
import { writeErrorLine } from './error-output.ts';

/** BullMQ's, once per connection: the durability check's maxmemory-policy line says it, naming what to set. */
const EVICTION = /^IMPORTANT! Eviction policy is /;

function sayWarning(message: string): void {
  writeErrorLine(`preflight: warning: ${message}`);
}

/** Says libraries' warnings to the person from now on; returns the `warn` option of createPreflight. */
export function warnThePerson(): (message: string) => void {
  routeLibraryWarnings((text) => {
    if (!EVICTION.test(text)) sayWarning(text);
  });
  return sayWarning;
}
