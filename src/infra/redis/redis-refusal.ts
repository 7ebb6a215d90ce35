/** A command Redis refused while a command ran (an ACL without a permission Preflight needs, a full Redis), in one line. */

/** What to do about a command the Redis user in REDIS_URL may not run (`reason`: Redis's NOPERM answer). */
export const noPermission = (reason: string): string =>
  `the Redis user in REDIS_URL may not run a command Preflight needs (${reason}): grant it every command on Preflight's keys, e.g. ACL SETUSER <user> ~{pf}* &* +@all`;

/** The line for an ioredis ReplyError, saying what to change on the Redis; undefined for any other error. */
export function describeRedisRefusal(error: unknown): string | undefined {
  if (!(error instanceof Error) || error.name !== 'ReplyError') return undefined;
  const reason = error.message.split('\n')[0] ?? '';
  if (reason.startsWith('NOPERM')) return noPermission(reason);
  if (reason.startsWith('OOM'))
    return `Redis is out of memory (${reason}): raise its maxmemory or free some; keep maxmemory-policy noeviction, so that nothing Preflight keeps is dropped`;
  return `Redis refused a command Preflight needs (${reason}): fix that on the Redis REDIS_URL names, then run it again`;
}
