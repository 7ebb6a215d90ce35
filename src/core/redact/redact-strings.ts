/** The redactor applied to every string inside a value (a plan, an audit record), its shape left as it was. */
import type { Redactor } from './redactor.ts';

/** A copy of `value` with each string in it (keys excepted) redacted; other values are kept as they are. */
export function redactStrings<T>(value: T, redactor: Redactor): T {
  if (typeof value === 'string') return redactor.redact(value) as T;
  if (Array.isArray(value)) return value.map((item: unknown) => redactStrings(item, redactor)) as T;
  if (value !== null && typeof value === 'object' && Object.getPrototypeOf(value) === Object.prototype) {
    return Object.fromEntries(
      Object.entries(value).map(([key, item]) => [key, redactStrings(item, redactor)]),
    ) as T;
  }
  return value;
}
