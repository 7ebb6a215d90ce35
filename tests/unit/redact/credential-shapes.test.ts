/**
 * Credentials that are none of the known secrets, recognised by their shape in a command line or its output, and
 * the look-alikes that must stay (port flags, prose about passwords).
 */
import { describe, expect, it } from 'vitest';
import { createRedactor, REDACTED } from '../../../src/core/index.ts';

const redactor = createRedactor({ secrets: [] });

/** [line, what it must become]. */
const REDACTED_LINES: ReadonlyArray<readonly [string, string]> = [
  // Passwords in a tool's own short options.
  ['mysql -u root -pS3cretPass shop', `mysql -u root -p${REDACTED} shop`],
  ['mysql -pS3cretPass db', `mysql -p${REDACTED} db`],
  [
    '/usr/bin/mysqldump -uroot -p"S3 cret" shop > dump.sql',
    `/usr/bin/mysqldump -uroot -p"${REDACTED}" shop > dump.sql`,
  ],
  ["mariadb-admin -p'S3cret' status", `mariadb-admin -p'${REDACTED}' status`],
  ['curl -u admin:S3cret https://api/x', `curl -u admin:${REDACTED} https://api/x`],
  ['curl -sS -uadmin:S3cret https://api/x', `curl -sS -uadmin:${REDACTED} https://api/x`],
  ['curl --user=deploy:S3cret https://api/x', `curl --user=deploy:${REDACTED} https://api/x`],
  ['curl --proxy-user "p:S3cret" https://api/x', `curl --proxy-user "p:${REDACTED}" https://api/x`],
  [
    'redis-cli -h cache -a S3cret --no-auth-warning ping',
    `redis-cli -h cache -a ${REDACTED} --no-auth-warning ping`,
  ],
  ['sshpass -p S3cret ssh -p 2222 deploy@host', `sshpass -p ${REDACTED} ssh -p 2222 deploy@host`],
  ['docker login -u bot -p S3cret registry.local', `docker login -u bot -p ${REDACTED} registry.local`],
  ['mongosh -u app -p S3cret --port 27017', `mongosh -u app -p ${REDACTED} --port 27017`],
  ['sqlcmd -S db -U sa -P S3cret -Q "select 1"', `sqlcmd -S db -U sa -P ${REDACTED} -Q "select 1"`],
  ['ldapsearch -D cn=admin -w S3cret -b dc=x', `ldapsearch -D cn=admin -w ${REDACTED} -b dc=x`],
  ['smbclient -U backup%S3cret //nas/share', `smbclient -U backup%${REDACTED} //nas/share`],
  ['openssl rsa -in k.pem -passin pass:S3cret', `openssl rsa -in k.pem -passin pass:${REDACTED}`],
  ['rabbitmqctl add_user deploy S3cret', `rabbitmqctl add_user deploy ${REDACTED}`],
  [
    'rabbitmqctl -n rabbit@mq change_password deploy S3cret',
    `rabbitmqctl -n rabbit@mq change_password deploy ${REDACTED}`,
  ],
  // The same within a longer line: only that command's options are read.
  ['echo start; mysql -pS3cret db; ssh -p 2222 host', `echo start; mysql -p${REDACTED} db; ssh -p 2222 host`],
  // Passwords in URLs, with an `@` in them, and the user (a credential-named one too) and host kept.
  ['https://user:p@ss@host/x', `https://user:${REDACTED}@host/x`],
  [
    'git clone https://x-access-token:tok123@github.com/a/b',
    `git clone https://x-access-token:${REDACTED}@github.com/a/b`,
  ],
  // API keys of more services.
  ['stripe sk_live_4eC39HqLyjWDarjtT1zdp7dc ok', `stripe ${REDACTED} ok`],
  ['npm npm_abcdefghijklmnopqrstuvwxyz0123456789 ok', `npm ${REDACTED} ok`],
];

/** Lines the issue named that were already redacted; each must keep its secret out. [line, secret]. */
const ALREADY: ReadonlyArray<readonly [string, string]> = [
  ['mysql --password=S3cret', 'S3cret'],
  ['PGPASSWORD=S3cret psql', 'S3cret'],
  ['Authorization: Bearer eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiIxIn0.c2ln', 'eyJhbGciOiJIUzI1NiJ9'],
  ['https://user:pass@host/', 'pass'],
  ['AWS_SECRET_ACCESS_KEY=wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY', 'wJalrXUtnFEMI'],
  ['aws_secret_access_key = wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY', 'wJalrXUtnFEMI'],
  ['  password: hunter2', 'hunter2'],
  ['{"password":"x"}', ':"x"'],
  ['ghp_abcdefghijklmnopqrstuvwxyz0123456789', 'ghp_'],
  ['xoxb-1234567890-abcdefghij', 'xoxb-'],
  ['AKIAIOSFODNN7EXAMPLE', 'AKIA'],
];

const INNOCENT_LINES = [
  'ssh -p 2222 deploy@host',
  'python -m http.server -p 8080',
  'docker run -p 8080:80 -u 1000:1000 --user 1000:1000 img',
  'redis-cli -p 6379 ping',
  'mysql -u root -p shop',
  'mysql -h db -P 3306 -u root -p',
  'curl -u admin https://api/x',
  'ps -p 123 -o pid',
  'password reset ok',
  'password changed for 3 users',
  'mysql-client installed; mysql.service started',
  'rabbitmqctl list_users; rabbitmqctl delete_user deploy',
  // A variable where the password goes: its name is no secret.
  'mysqldump -u backup -p"$MYSQL_PWD" shop',
  'curl -u "deploy:$DEPLOY_PASSWORD" https://api/x',
  'redis-cli -a $REDIS_PASSWORD ping',
];

describe('credentials by their shape', () => {
  it.each(REDACTED_LINES)('redacts %s', (line, expected) => {
    expect(redactor.redact(line)).toBe(expected);
  });

  it.each(ALREADY)('redacts %s', (line, secret) => {
    expect(redactor.redact(line)).not.toContain(secret);
  });

  it.each(INNOCENT_LINES)('keeps %s', (line) => {
    expect(redactor.redact(line)).toBe(line);
  });

  it("leaves no bracket behind when a known value ends a credential's value", () => {
    const known = createRedactor({ secrets: ['sup3rS3cret'] });
    expect(known.redact('--password xsup3rS3cret done')).toBe(`--password ${REDACTED} done`);
    expect(known.redact('password=xsup3rS3cret done')).toBe(`password=${REDACTED} done`);
  });

  it('is idempotent', () => {
    for (const line of [...REDACTED_LINES.map(([l]) => l), ...INNOCENT_LINES]) {
      const once = redactor.redact(line);
      expect(redactor.redact(once)).toBe(once);
    }
  });
});
