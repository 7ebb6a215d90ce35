/**
 * REDIS_URL in its three forms: `redis://` (one server), `redis+sentinel://` (a primary watched by sentinels) and
 * `redis+cluster://` (seed nodes of a Redis Cluster); `rediss…` for TLS. One variable, as for a single server,
 * in the form redis-py, Celery/Kombu and Sidekiq users already write.
 */
import type { RedisHost, RedisTarget } from '../infra/redis/redis-connector.ts';

const FORMS =
  'redis://host:6379, redis+sentinel://host:26379,host:26379/primary-name or redis+cluster://host:7000,host:7001';

/** A REDIS_URL that cannot be used, with what to write instead. */
export class RedisUrlError extends Error {
  override readonly name = 'RedisUrlError';
}

function parseHosts(text: string, defaultPort: number, form: string): RedisHost[] {
  const list = text.split(',').map((part) => part.trim());
  if (list.length === 0 || list.some((p) => p === ''))
    throw new RedisUrlError(`needs at least one host:port after ${form}:// (like ${FORMS})`);
  return list.map((part) => {
    const match = /^(\[[0-9a-fA-F:]+\]|[A-Za-z0-9._-]+)(?::(\d{1,5}))?$/.exec(part);
    const port = match?.[2] === undefined ? defaultPort : Number(match[2]);
    if (!match?.[1] || port < 1 || port > 65535)
      throw new RedisUrlError(`has a bad host "${part}": write host:port, separated by commas`);
    return { host: match[1].replace(/^\[|\]$/g, ''), port };
  });
}

/** A %-escaped part of the URL, decoded; a broken escape is named without the text it is in (it may be a password). */
function decodePart(text: string, what: string): string {
  try {
    return decodeURIComponent(text);
  } catch {
    throw new RedisUrlError(
      `has a broken %-escape in its ${what}; write % as %25 (and @ as %40, : as %3A, / as %2F)`,
    );
  }
}

/** What is wrong with a redis:// URL's port, when that is what makes it no URL (`redis://db:70000`, `redis://db:6379x`). */
function badPort(text: string): string | undefined {
  // An IPv6 address left open (`redis://[::1:6379`): its colons are no port.
  if (/^rediss?:\/\/(?:[^@/?#]*@)?\[[^\]/?#]*(?:[/?#]|$)/.test(text))
    return 'has an IPv6 address without its closing "]": write it in brackets, then the port, like redis://[::1]:6379';
  const port = /^rediss?:\/\/(?:[^@/?#]*@)?(?:\[[^\]]*\]|[^[:/?#@]*):([^/?#]*)/.exec(text)?.[1];
  if (port === undefined || (/^\d+$/.test(port) && Number(port) <= 65535)) return undefined;
  return `has a bad port "${port}": write host:port with a port of 1–65535 (Redis listens on 6379 unless told otherwise)`;
}

/** Turns REDIS_URL into a target; throws RedisUrlError saying what is wrong. */
export function parseRedisUrl(text: string): RedisTarget {
  const scheme = /^([a-z+]+):\/\//.exec(text)?.[1];
  if (scheme === 'redis' || scheme === 'rediss') {
    if (!URL.canParse(text)) throw new RedisUrlError(badPort(text) ?? `must be a URL like ${FORMS}`);
    const url = new URL(text);
    decodePart(url.username, 'user name');
    decodePart(url.password, 'password');
    // ioredis reads the path as the database: a word there would reach Redis as database NaN.
    if (!/^\/?\d*$/.test(url.pathname))
      throw new RedisUrlError(
        `has a bad database "${url.pathname.slice(1)}": write ${scheme}://host:6379 or ${scheme}://host:6379/0 (a number)`,
      );
    return { mode: 'standalone', url: text };
  }
  const form = /^(rediss?)\+(sentinel|cluster)$/.exec(scheme ?? '');
  if (!form) throw new RedisUrlError(`must be a URL like ${FORMS}`);
  const tls = form[1] === 'rediss';
  const rest = text.slice(`${scheme}://`.length);
  const [beforeQuery = '', query = ''] = rest.split('?', 2);
  const at = beforeQuery.lastIndexOf('@');
  const userinfo = at < 0 ? undefined : beforeQuery.slice(0, at);
  const [hostText = '', ...path] = beforeQuery.slice(at + 1).split('/');
  // The password runs from the first colon to the @: it may hold colons of its own.
  const colon = (userinfo ?? '').indexOf(':');
  const user = decodePart(colon < 0 ? (userinfo ?? '') : (userinfo ?? '').slice(0, colon), 'user name');
  const password = colon < 0 ? '' : decodePart((userinfo ?? '').slice(colon + 1), 'password');
  const auth = {
    tls,
    ...(user && { username: user }),
    ...(password && { password }),
  };
  const params = new URLSearchParams(query);
  if (form[2] === 'cluster') {
    if (path.some((p) => p !== ''))
      throw new RedisUrlError('names no database in cluster mode (Redis Cluster has only database 0)');
    return { mode: 'cluster', nodes: parseHosts(hostText, 6379, scheme ?? ''), ...auth };
  }
  const sentinels = parseHosts(hostText, 26379, scheme ?? '');
  const [name, db = '0', ...extra] = path;
  if (!name)
    throw new RedisUrlError(
      `needs the primary's name after the sentinels, like ${scheme}://s1:26379,s2:26379/mymaster`,
    );
  if (!/^\d{1,2}$/.test(db) || extra.length > 0)
    throw new RedisUrlError(`has a bad database "${path.slice(1).join('/')}": write /name or /name/0`);
  const sentinelPassword = params.get('sentinelPassword') ?? undefined;
  return {
    mode: 'sentinel',
    sentinels,
    name: decodePart(name, "primary's name"),
    db: Number(db),
    ...auth,
    ...(sentinelPassword && { sentinelPassword }),
  };
}
