/**
 * Credentials a step's output can carry outside a `key=value` or an option's value: passed to a tool by position
 * (`htpasswd -b`, `vault login`, `aws configure set`), given to tools not read before (`az login -p`, `ssh-keygen
 * -N`, keytool), in cookie headers that `curl -v` echoes, and told in a sentence (`the password is hunter2`). Ordinary
 * deploy output about passwords and tokens must stay readable.
 */
import { describe, expect, it } from 'vitest';
import { createRedactor, REDACTED } from '../../../src/core/index.ts';

const redactor = createRedactor({ secrets: [] });

/** [line, what it must become]. */
const REDACTED_LINES: ReadonlyArray<readonly [string, string]> = [
  // htpasswd's batch mode takes the password as its last argument.
  ['htpasswd -b /etc/nginx/.htpasswd admin hunter2', `htpasswd -b /etc/nginx/.htpasswd admin ${REDACTED}`],
  ['htpasswd -bc .htpasswd admin hunter2', `htpasswd -bc .htpasswd admin ${REDACTED}`],
  ['htpasswd -bB .htpasswd admin "hunter 2"', `htpasswd -bB .htpasswd admin "${REDACTED}"`],
  ['htpasswd -nb admin hunter2 > /dev/null 2>&1', `htpasswd -nb admin ${REDACTED} > /dev/null 2>&1`],
  ['htpasswd -b -C 12 f admin hunter2; echo ok', `htpasswd -b -C 12 f admin ${REDACTED}; echo ok`],
  // Tokens given by position.
  ['vault login s.abcdef1234567890XYZ', `vault login ${REDACTED}`],
  ['vault login -no-print hvs.CAESIabcdef123', `vault login -no-print ${REDACTED}`],
  [
    'aws configure set aws_secret_access_key wJalrXUtnFEMI/K7MDENG --profile prod',
    `aws configure set aws_secret_access_key ${REDACTED} --profile prod`,
  ],
  // A credential's name and its value in two columns, as `vault login` and `vault kv get` print them.
  ['token                hvs.CAESIJ1xyzabc123', `token                ${REDACTED}`],
  ['password   hunter2', `password   ${REDACTED}`],
  ['  api_key    "ak 51f0"', `  api_key    "${REDACTED}"`],
  ['aws_secret_access_key wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY', `aws_secret_access_key ${REDACTED}`],
  [
    'npm config set //registry.npmjs.org/:_authToken abc123xyz',
    `npm config set //registry.npmjs.org/:_authToken ${REDACTED}`,
  ],
  // Tools' own password options not read before.
  [
    'az login --service-principal -u app -p hunter2 --tenant t',
    `az login --service-principal -u app -p ${REDACTED} --tenant t`,
  ],
  ['ssh-keygen -t ed25519 -N hunter2 -f key', `ssh-keygen -t ed25519 -N ${REDACTED} -f key`],
  [
    'keytool -list -storepass hunter2 -keypass hunter3',
    `keytool -list -storepass ${REDACTED} -keypass ${REDACTED}`,
  ],
  ['curl --oauth2-bearer abcdef123456 https://x', `curl --oauth2-bearer ${REDACTED} https://x`],
  ['openssl enc -aes-256-cbc -k hunter2 -in f', `openssl enc -aes-256-cbc -k ${REDACTED} -in f`],
  ['openssl enc -aes-128-cbc -K 00ff1122 -iv 01', `openssl enc -aes-128-cbc -K ${REDACTED} -iv 01`],
  ['sqlplus -s scott/tiger@orcl @migrate.sql', `sqlplus -s scott/${REDACTED}@orcl @migrate.sql`],
  ['expdp system/Manag3r directory=dp', `expdp system/${REDACTED} directory=dp`],
  // Cookies echoed by curl -v: the names and Set-Cookie's attributes stay.
  ['> Cookie: sid=abcdef1234567890; theme=dark', `> Cookie: sid=${REDACTED}; theme=${REDACTED}`],
  ['< Set-Cookie: sid=abcdef1234567890; Path=/; HttpOnly', `< Set-Cookie: sid=${REDACTED}; Path=/; HttpOnly`],
  // Told in prose.
  ['the password is hunter2', `the password is ${REDACTED}`],
  ['Password is hunter2.', `Password is ${REDACTED}.`],
  ['the password: hunter2', `the password: ${REDACTED}`],
  ['pwd=hunter2', `pwd=${REDACTED}`],
  ['Password for user admin: hunter2', `Password for user admin: ${REDACTED}`],
  ['new password for admin is: Xy7#kd9!', `new password for admin is: ${REDACTED}`],
  ['The generated password is "correct horse"', `The generated password is "${REDACTED}"`],
  ['api key: abcd1234efgh', `api key: ${REDACTED}`],
  ['the secret is s3cr3tval', `the secret is ${REDACTED}`],
  // A password of letters only, told in prose.
  ['password is hunter', `password is ${REDACTED}`],
  ['the password is hunter.', `the password is ${REDACTED}.`],
  ['Password for admin: hunter', `Password for admin: ${REDACTED}`],
  ['the passphrase was correcthorse', `the passphrase was ${REDACTED}`],
  ['password set to tiger, retry', `password set to ${REDACTED}, retry`],
  // A login's `pass:` after its user, in step output or a command.
  ['user=admin pass: hunter2', `user=admin pass: ${REDACTED}`],
  ['host=db user=admin pass: Hunter2! port=5432', `host=db user=admin pass: ${REDACTED} port=5432`],
  ['user admin pass: hunter2', `user admin pass: ${REDACTED}`],
  ['login: admin pass: s3cret', `login: admin pass: ${REDACTED}`],
  ['user=admin PASS: 123456', `user=admin PASS: ${REDACTED}`],
  ['user=admin pass: 1234 ok', `user=admin pass: ${REDACTED} ok`],
  // A login told without colons, and what curl -v echoes of an FTP or SMTP login.
  ['login admin password hunter2', `login admin password ${REDACTED}`],
  ['username admin pass "p w"', `username admin pass "${REDACTED}"`],
  ['password of admin is hunter', `password of admin is ${REDACTED}`],
  ['> PASS hunter2', `> PASS ${REDACTED}`],
  ['> AUTH PLAIN AGFkbWluAGh1bnRlcjI=', `> AUTH PLAIN ${REDACTED}`],
  // Oracle logins whose password (or the whole login) is quoted: all of the password goes.
  ['sqlplus scott/"p@ss word"@db', `sqlplus scott/"${REDACTED}"@db`],
  [`sqlplus 'scott/"p@ss word"@db'`, `sqlplus 'scott/"${REDACTED}"@db'`],
  ['sqlplus -L "scott/p@ss word"@db as sysdba', `sqlplus -L "scott/${REDACTED}"@db as sysdba`],
  ['expdp "system/Man@g3r"@orcl directory=dp', `expdp "system/${REDACTED}"@orcl directory=dp`],
];

const INNOCENT_LINES = [
  'password policy updated',
  '--password-file /run/secrets/x',
  'token bucket refilled',
  'the password is incorrect',
  'password is required',
  'password is 12 characters long',
  'password was rotated.',
  '(the secret is stored).',
  'the token was refreshed at 10:42',
  'secret is /run/secrets/db',
  'api key: missing',
  'password: ********',
  'htpasswd -c .htpasswd admin',
  'htpasswd -b .htpasswd admin "$HTPASSWD"',
  'htpasswd -D .htpasswd admin',
  'vault login -method=oidc',
  'vault login -method userpass username=bob',
  'aws configure set region eu-west-1',
  'az login --identity',
  'openssl req -new -key k.pem -keyout out.pem',
  'sqlplus / as sysdba',
  'exp 2/3 passed',
  'sqlplus -s app/"$ORACLE_PWD"@orcl',
  'ssh-keygen -t ed25519 -N "" -f key',
  'Cookie: consent banner shown',
  'cookie_domain=example.com',
  // Sentences about a password, test summaries and fractions keep every word.
  'the password is expired',
  'password is too short',
  'password is now set',
  'the password is strong',
  'password is stored in vault',
  'the token is bot',
  'pass: 3 tests',
  'pass: 12, fail: 0',
  'unit pass: 3 tests',
  'exp 2/3 passed',
  'checks pass: toy-health ok',
  'sqlplus "scott/$ORACLE_PWD"@db',
  'PASS src/app.test.js',
  '> USER admin',
  'user admin password changed',
  'login admin password reset required',
  'login page password field',
  // Two columns that are no credential and its value.
  'token_duration       768h',
  'password required',
  'Password expired',
  'token     $VAULT_TOKEN',
  'PASSWORD  ********',
  'version   1.2.3',
  'tokens 12',
  'Token refresh',
  'Secrets review',
];

describe('credentials given by position, in cookies and in prose', () => {
  it.each(REDACTED_LINES)('redacts %s', (line, expected) => {
    expect(redactor.redact(line)).toBe(expected);
  });

  it.each(INNOCENT_LINES)('keeps %s', (line) => {
    expect(redactor.redact(line)).toBe(line);
  });

  it('is idempotent', () => {
    for (const [line] of REDACTED_LINES) {
      const once = redactor.redact(line);
      expect(redactor.redact(once)).toBe(once);
    }
  });
});
