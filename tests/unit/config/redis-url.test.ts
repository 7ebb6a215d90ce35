import { describe, expect, it } from 'vitest';
import { ConfigError, readConfig } from '../../../src/config/config.ts';

const redisOf = (url: string) => readConfig({ REDIS_URL: url }).redis;
const errorOf = (url: string) => {
  try {
    readConfig({ REDIS_URL: url });
  } catch (error) {
    if (error instanceof ConfigError) return error.message;
    throw error;
  }
  throw new Error(`${url} was accepted`);
};

describe('REDIS_URL', () => {
  it('keeps a plain redis:// or rediss:// URL as one server', () => {
    expect(redisOf('redis://:pw@db:6380/2')).toEqual({ mode: 'standalone', url: 'redis://:pw@db:6380/2' });
  });

  it('reads sentinels, the primary name, the database and credentials from redis+sentinel://', () => {
    expect(
      redisOf('redis+sentinel://app:s%40cret@s1:26379,s2,[::1]:26380/mymaster/3?sentinelPassword=x'),
    ).toEqual({
      mode: 'sentinel',
      sentinels: [
        { host: 's1', port: 26379 },
        { host: 's2', port: 26379 },
        { host: '::1', port: 26380 },
      ],
      name: 'mymaster',
      db: 3,
      username: 'app',
      password: 's@cret',
      sentinelPassword: 'x',
      tls: false,
    });
  });

  it('reads seed nodes and TLS from rediss+cluster://', () => {
    expect(redisOf('rediss+cluster://:pw@n1:7000,n2:7001')).toEqual({
      mode: 'cluster',
      nodes: [
        { host: 'n1', port: 7000 },
        { host: 'n2', port: 7001 },
      ],
      password: 'pw',
      tls: true,
    });
  });

  it('says in one line what is wrong, without the password', () => {
    expect(errorOf('redis+sentinel://:hunter2@s1:26379')).toBe(
      'REDIS_URL needs the primary\'s name after the sentinels, like redis+sentinel://s1:26379,s2:26379/mymaster (got "redis+sentinel://…@s1:26379")',
    );
    expect(errorOf('redis+cluster://n1:7000,,n2')).toMatch(/^REDIS_URL needs at least one host:port/);
    expect(errorOf('redis+cluster://n1:7000/1')).toMatch(/^REDIS_URL names no database in cluster mode/);
    expect(errorOf('redis+cluster://n1:99999')).toMatch(/^REDIS_URL has a bad host "n1:99999"/);
    expect(errorOf('redis://:hunter2@db:70000/0')).toBe(
      'REDIS_URL has a bad port "70000": write host:port with a port of 1–65535 (Redis listens on 6379 unless told otherwise) (got "redis://…@db:70000/0")',
    );
    expect(errorOf('rediss://db:6379x')).toMatch(/^REDIS_URL has a bad port "6379x": write host:port/);
    // An IPv6 host left open is said as such, not as a port ":1" its colons never were.
    expect(errorOf('redis://:hunter2@[::1')).toBe(
      'REDIS_URL has an IPv6 address without its closing "]": write it in brackets, then the port, like redis://[::1]:6379 (got "redis://…@[::1")',
    );
    expect(errorOf('redis://[fe80::1:6379/0')).toMatch(
      /^REDIS_URL has an IPv6 address without its closing "]"/,
    );
    expect(errorOf('memcached://x')).toMatch(
      /^REDIS_URL must be a URL like redis:\/\/host:6379, redis\+sentinel/,
    );
    expect(errorOf('redis+sentinel://s1/mymaster/x')).toMatch(/^REDIS_URL has a bad database "x"/);
    // A database that is no number is said here, not at start as "database NaN" once Redis answers.
    expect(errorOf('redis://:hunter2@db:6379/abc')).toBe(
      'REDIS_URL has a bad database "abc": write redis://host:6379 or redis://host:6379/0 (a number) (got "redis://…@db:6379/abc")',
    );
    expect(errorOf('redis://db:6379/0/extra')).toMatch(/^REDIS_URL has a bad database "0\/extra"/);
  });

  it('shows no part of a password given in the query or before an @, only the names around it', () => {
    expect(errorOf('redis://h:99999/?password=hunter2')).toMatch(
      /\(got "redis:\/\/h:99999\/\?password=…"\)$/,
    );
    expect(errorOf('redis+sentinel://,?sentinelPassword=hunter2')).toMatch(
      /\(got "redis\+sentinel:\/\/,\?sentinelPassword=…"\)$/,
    );
    for (const url of [
      'redis://h:99999/?password=hunter2',
      'redis://h:99999/?db=1&password=hunter2',
      'redis+sentinel://,?sentinelPassword=hunter2',
      'redis+sentinel://:hunter2@,?sentinelPassword=hunter2',
      'redis+cluster://:hunt@er2@n1:99999',
      ':hunter2@localhost:6379',
    ]) {
      expect(errorOf(url)).not.toMatch(/hunt|er2/);
    }
  });

  it('names a broken %-escape in one line without the text it is in, and keeps colons inside a password', () => {
    for (const url of [
      'redis://u:S3cret%PW@127.0.0.1:6379',
      'redis+sentinel://u:%zzS3cret@s1:26379/mymaster',
      'redis+cluster://:S3cret%@n1:7000',
    ]) {
      const message = errorOf(url);
      expect(message).toMatch(/^REDIS_URL has a broken %-escape in its password; write % as %25/);
      expect(message).not.toContain('S3cret');
    }
    expect(errorOf('redis+sentinel://s1/my%ZZmaster')).toMatch(/broken %-escape in its primary's name/);
    expect(redisOf('redis+sentinel://:Corr3ct:pw@s1:26379/mymaster')).toMatchObject({
      password: 'Corr3ct:pw',
    });
    expect(redisOf('redis+cluster://redis_1:7000')).toMatchObject({
      nodes: [{ host: 'redis_1', port: 7000 }],
    });
  });
});
