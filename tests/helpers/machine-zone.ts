/** Runs code as on machines set to other time zones: what the runbook's zone decides must not depend on them. */

/** Machine zones whose own clock changes differ from the runbook zones the tests use. */
export const MACHINE_ZONES = [
  'UTC',
  'Europe/London',
  'Europe/Berlin',
  'America/Chicago',
  'America/New_York',
  'Asia/Tokyo',
] as const;

/** `fn`'s result with the process's time zone set to each machine zone in turn (TZ is restored after). */
export function inMachineZones<T>(fn: () => T): Record<string, T> {
  const saved = process.env.TZ;
  const results: Record<string, T> = {};
  try {
    for (const zone of MACHINE_ZONES) {
      process.env.TZ = zone;
      results[zone] = fn();
    }
  } finally {
    if (saved === undefined) delete process.env.TZ;
    else process.env.TZ = saved;
  }
  return results;
}

/** The same value for every machine zone, keyed like inMachineZones' result, for one `toEqual`. */
export const everyMachineZone = <T>(value: T): Record<string, T> =>
  Object.fromEntries(MACHINE_ZONES.map((zone) => [zone, value]));
