/** Passwords that SQL, XML and `.netrc` text carry by position, and the look-alikes that stay. */
import { describe, expect, it } from 'vitest';
import { createRedactor, REDACTED } from '../../../src/core/index.ts';

const redactor = createRedactor({ secrets: [] });

const REDACTED_LINES: ReadonlyArray<readonly [string, string]> = [
  ["CREATE USER 'app'@'%' IDENTIFIED BY 'S3cret';", `CREATE USER 'app'@'%' IDENTIFIED BY '${REDACTED}';`],
  [
    "ALTER USER app IDENTIFIED WITH caching_sha2_password BY 'S3cret'",
    `ALTER USER app IDENTIFIED WITH caching_sha2_password BY '${REDACTED}'`,
  ],
  [
    "ERROR: ALTER ROLE app WITH PASSWORD 'S3cret' failed",
    `ERROR: ALTER ROLE app WITH PASSWORD '${REDACTED}' failed`,
  ],
  ['SET PASSWORD FOR root = PASSWORD("S3cret")', `SET PASSWORD FOR root = PASSWORD("${REDACTED}")`],
  ['<password>S3cret</password>', `<password>${REDACTED}</password>`],
  ['  <db:apiToken>S3cret</db:apiToken>', `  <db:apiToken>${REDACTED}</db:apiToken>`],
  ['machine api.local login bot password S3cret', `machine api.local login bot password ${REDACTED}`],
];

const INNOCENT_LINES = [
  'password reset ok',
  'the password was rejected',
  '<password_count>3</password_count> <user>app</user> <password></password>',
  "CREATE USER 'app'@'%' IDENTIFIED WITH auth_socket;",
  'login succeeded; password expires in 3 days',
];

describe('credentials in statements', () => {
  it.each(REDACTED_LINES)('redacts %s', (line, expected) => {
    expect(redactor.redact(line)).toBe(expected);
    expect(redactor.redact(expected)).toBe(expected);
  });

  it.each(INNOCENT_LINES)('keeps %s', (line) => {
    expect(redactor.redact(line)).toBe(line);
  });
});
