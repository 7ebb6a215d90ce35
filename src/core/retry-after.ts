/** HTTP `Retry-After`: seconds, or an HTTP date (RFC 9110 §10.2.3), read as the ms to wait. */

/** The wait a `Retry-After` header asks for, in ms (never negative); undefined when absent or unreadable. */
export function retryAfterMs(
  header: string | null | undefined,
  now: number = Date.now(),
): number | undefined {
  if (header === null || header === undefined || header.trim() === '') return undefined;
  const seconds = Number(header);
  if (Number.isFinite(seconds)) return Math.max(0, seconds * 1000);
  const at = Date.parse(header);
  return Number.isNaN(at) ? undefined : Math.max(0, at - now);
}
