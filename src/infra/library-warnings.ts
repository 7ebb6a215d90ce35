/**
 * Warnings libraries print with `console.warn` (BullMQ's "IMPORTANT! Eviction policy is …", once per connection)
 * as JSON log lines like every other line of the bot and workers, each text once, so whatever reads their logs
 * meets only JSON, and no flood.
 */
import { format } from 'node:util';
import type { Logger } from './logger.ts';

export function logLibraryWarnings(log: Logger): void {
  routeLibraryWarnings((text) => log.warn({ from: 'library' }, text));
}

/** Libraries' `console.warn` lines go to `say` instead, each text once (a command the person runs says them). */
export function routeLibraryWarnings(say: (text: string) => void): void {
  const said = new Set<string>();
  console.warn = (...args: unknown[]) => {
    const text = format(...args);
    if (said.has(text)) return;
    said.add(text);
    say(text);
  };
}
