/**
 * Start-up waits a bounded time for Redis to answer, instead of retrying silently forever; a Redis that answers
 * but refuses (password, database, TLS) stops Preflight at once, since waiting will not change its mind.
 */
import { Cluster } from 'ioredis';
import { StartupError } from '../startup-error.ts';
import type { RedisClient } from './redis-connector.ts';
import { noPermission } from './redis-refusal.ts';
import { watchTlsHandshake } from './watch-tls-handshake.ts';
import { explainWrongKind, refuseWrongKind } from './wrong-redis-kind.ts';

export const REDIS_CONNECT_TIMEOUT_MS = 10_000;

const firstLine = (error: Error): string => error.message.split('\n')[0] ?? '';

/** TLS-level failures: the server is there but does not speak TLS (or speaks it wrongly). */
const isTlsFailure = (error: Error): boolean => {
  const code = (error as NodeJS.ErrnoException).code ?? '';
  return code === 'EPROTO' || code.startsWith('ERR_SSL_');
};

/** Node's verdicts on a server certificate it will not trust: the server speaks TLS, its certificate is the problem. */
const CERTIFICATE_CODES = new Set([
  'DEPTH_ZERO_SELF_SIGNED_CERT',
  'SELF_SIGNED_CERT_IN_CHAIN',
  'UNABLE_TO_VERIFY_LEAF_SIGNATURE',
  'UNABLE_TO_GET_ISSUER_CERT',
  'UNABLE_TO_GET_ISSUER_CERT_LOCALLY',
  'CERT_HAS_EXPIRED',
  'CERT_NOT_YET_VALID',
  'CERT_REVOKED',
  'ERR_TLS_CERT_ALTNAME_INVALID',
]);

const tlsFailed = (where: string, reason?: string): StartupError =>
  new StartupError(
    `TLS handshake with Redis failed: is it serving TLS? use redis:// for a plain server (${where}${reason ? `: ${reason}` : ''})`,
  );

/** How ioredis reports a sentinel's own refusal: it tried them all, and says the last one's error in its text. */
const SENTINELS_FAILED = /^All sentinels are unreachable\..*? Last error: (.*)$/;

/** A sentinel refusing `sentinelPassword` (or asking for one), as what to change in REDIS_URL. */
function explainSentinelRefusal(reason: string, where: string): StartupError | undefined {
  if (/^NOAUTH\b/.test(reason))
    return new StartupError(
      `the sentinels ask for a password and REDIS_URL gives none; add it to REDIS_URL as its sentinelPassword query parameter, for ${where}`,
    );
  if (/^WRONGPASS\b|^ERR invalid (username-)?password/.test(reason))
    return new StartupError(
      `the sentinels refused the sentinelPassword in REDIS_URL (${where}: ${reason}): check it`,
    );
  return explainWrongKind(reason, where);
}

/** A refusal that waiting will not fix, as a StartupError saying what to change; undefined for anything else. */
function explainRefusal(error: Error, where: string): StartupError | undefined {
  // A Cluster that could not read its slots carries the last node's error: a node's refusal is the cluster's.
  const nodeError = (error as { lastNodeError?: unknown }).lastNodeError;
  if (nodeError instanceof Error) return explainRefusal(nodeError, where);
  const sentinel = SENTINELS_FAILED.exec(firstLine(error));
  if (sentinel) return explainSentinelRefusal(sentinel[1] ?? '', where);
  const reason = firstLine(error);
  if (/^NOAUTH\b/.test(reason))
    return new StartupError(
      `Redis asks for a password and REDIS_URL gives none; add it to REDIS_URL, after a colon behind redis:// and before an @ in front of the host, for ${where}`,
    );
  if (/^WRONGPASS\b|^ERR invalid (username-)?password/.test(reason))
    return new StartupError(
      `Redis refused the password in REDIS_URL (${where}: ${reason}): check the user name and password`,
    );
  if (/^NOPERM\b/.test(reason)) return new StartupError(noPermission(reason));
  const code = (error as NodeJS.ErrnoException).code ?? '';
  if (CERTIFICATE_CODES.has(code))
    return new StartupError(
      `Redis's TLS certificate is not trusted (${where}: ${code}: ${reason}): give Node the CA that signed it ` +
        '(NODE_EXTRA_CA_CERTS=/path/to/ca.pem), or fix the certificate (its name must match the host in REDIS_URL)',
    );
  if (isTlsFailure(error)) return tlsFailed(where, reason);
  return explainWrongKind(reason, where);
}

/**
 * PING, what kind of server a plain redis:// names, then the database REDIS_URL names: ioredis only reports a
 * failed SELECT as an event and stays in db 0.
 */
async function openSession(redis: RedisClient, where: string): Promise<void> {
  await redis.ping();
  if (!(redis instanceof Cluster)) await refuseWrongKind(redis);
  // Every commit is a script: a user whose ACL forbids them would start, then fail each commit for ever.
  await redis.eval('return 1', 0);
  if (redis instanceof Cluster) return;
  const db = redis.options.db ?? 0;
  if (db === 0) return;
  try {
    await redis.select(db);
  } catch (error) {
    throw new StartupError(
      `REDIS_URL names database ${db}, which the Redis at ${where} does not have (${firstLine(error as Error)}): ` +
        'use a lower number (0–15 on a default Redis) or raise "databases" in its configuration',
    );
  }
}

/**
 * Resolves once `redis` answers and uses REDIS_URL's database; otherwise a StartupError naming where (`where`:
 * no password) and why.
 */
export async function waitForRedis(
  redis: RedisClient,
  where: string,
  timeoutMs = REDIS_CONNECT_TIMEOUT_MS,
): Promise<void> {
  let lastError: Error | undefined;
  let refuse: (error: StartupError) => void = () => {};
  const refused = new Promise<StartupError>((resolve) => {
    refuse = resolve;
  });
  // Connection errors come as events while ioredis retries; a refusal among them ends the wait at once.
  const remember = (error: Error): void => {
    lastError = error;
    const refusal = explainRefusal(error, where);
    if (refusal) refuse(refusal);
  };
  redis.on('error', remember);
  const tls = watchTlsHandshake(redis);
  let timer: NodeJS.Timeout | undefined;
  const timedOut = new Promise<'timeout'>((resolve) => {
    timer = setTimeout(() => resolve('timeout'), timeoutMs);
  });
  try {
    const answer = await Promise.race([
      openSession(redis, where).then(
        () => 'ready' as const,
        (error: Error) => error,
      ),
      refused,
      tls.stalled.then(() => tlsFailed(where, 'no answer to the handshake')),
      timedOut,
    ]);
    if (answer === 'ready') return;
    if (answer instanceof StartupError) throw answer;
    if (answer instanceof Error) throw explainRefusal(answer, where) ?? unreachable(where, timeoutMs, answer);
    throw unreachable(where, timeoutMs, lastError);
  } finally {
    clearTimeout(timer);
    tls.stop();
    redis.off('error', remember);
  }
}

function unreachable(where: string, timeoutMs: number, error: Error | undefined): StartupError {
  const reason = error && firstLine(error);
  return new StartupError(
    `cannot reach Redis at ${where}${reason ? ` (${reason})` : ''} within ${timeoutMs / 1000} s: ` +
      'start it, or set REDIS_URL to a Redis that runs',
  );
}
