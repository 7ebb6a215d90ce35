/**
 * Something outside Preflight stops it from starting (no redis-server, an unreachable REDIS_URL): the CLI shows
 * the message in one line with what to do, never a stack trace.
 */
export class StartupError extends Error {
  override readonly name = 'StartupError';
}
