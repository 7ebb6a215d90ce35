/**
 * The redactor over a corpus of secret-bearing lines and innocent ones.
 *
 * Decisions the innocent corpus pins down: keys that only describe a credential (`password_reset_count: 3`,
 * `token_type: Bearer`, `max_tokens: 4096`, `author=wei`, `PWD=/home/wei`) keep their values; digit runs that
 * fail the Luhn check or do not start like a card (epoch timestamps, snowflake ids, UUIDs) stay; the word after
 * "Bearer"/"Basic" in prose stays unless it looks like a token (a digit and 8+ characters, or 20+ characters,
 * or base64 of `user:password`).
 */
import { describe, expect, it } from 'vitest';
import { createRedactor, REDACTED } from '../../../src/core/index.ts';

const redactor = createRedactor({ secrets: ['hunter2-db', 'sup3r', 'llm-key-0042', 'ab', ''] });

/** [line, the secret that must go, text on each side that must stay]. */
const SECRET_LINES: ReadonlyArray<readonly [string, string, ...string[]]> = [
  ['connecting with hunter2-db now', 'hunter2-db', 'connecting with ', ' now'],
  ['pass=sup3r;', 'sup3r', 'pass='],
  ['  pass: s3cr3t-value', 's3cr3t-value', '  pass: '],
  ['{ user: wei, pass: zebra-9 }', 'zebra-9', '{ user: wei, pass: ', ' }'],
  ['LLM key llm-key-0042 loaded', 'llm-key-0042', 'LLM key ', ' loaded'],
  [
    'DATABASE_URL=postgresql://sparkle:pa55w0rd@db:5432/app',
    'pa55w0rd',
    'postgresql://sparkle:',
    '@db:5432/app',
  ],
  ['broker redis://:r3dis-pass@redis:6379/0 ready', 'r3dis-pass', 'redis://:', '@redis:6379/0 ready'],
  ['amqp://guest:gu3st@rabbit//', 'gu3st', 'amqp://guest:', '@rabbit//'],
  ['Authorization: Bearer abc123def456ghi', 'abc123def456ghi', 'Authorization: Bearer '],
  // A known value that starts a longer credential: the rest of it goes too.
  ['token=sup3rXYZ123 ok', 'XYZ123', 'token=', ' ok'],
  ['Authorization: Bearer sup3r.9f8e7d6c5b', '9f8e7d6c5b', 'Authorization: Bearer '],
  ['curl -H "X-Auth: Bearer llm-key-0042-extra-9f8e"', 'extra-9f8e', 'curl -H "X-Auth: Bearer '],
  ['sent Bearer sup3r9f8e7d6c5b4a', '9f8e7d6c5b4a', 'sent Bearer '],
  [
    'POST https://discord.com/api/v10/interactions/1578890373076353025/aW50ZXJhY3Rpb246MTU3ODg5MDM3MzA3NjM1MzAyNTpzZWNyZXQ/callback 404',
    'aW50ZXJhY3Rpb246MTU3ODg5MDM3MzA3NjM1MzAyNTpzZWNyZXQ',
    '/interactions/1578890373076353025/',
    '/callback 404',
  ],
  [
    'PATCH /webhooks/1300000000000000001/Xk2_wq9Lz-0pRt7vBn3mYc5dHs8fJa1gUe4iOo6/messages/@original',
    'Xk2_wq9Lz-0pRt7vBn3mYc5dHs8fJa1gUe4iOo6',
    '/webhooks/1300000000000000001/',
    '/messages/@original',
  ],
  ['token aW50ZXJhY3Rpb246OTE5MzIwNDg3 expired', 'aW50ZXJhY3Rpb246OTE5MzIwNDg3', 'token ', ' expired'],
  [
    'respond to https://hooks.slack.com/actions/T0ACME01/7391028374/Zq9XbT4kLmN2pR8sVw1yHc3d failed',
    'Zq9XbT4kLmN2pR8sVw1yHc3d',
    'https://hooks.slack.com/actions/',
    ' failed',
  ],
  [
    'hooks.slack.com/services/T0ACME01/B0ACME02/Wq8ErT5yUi2oPa6sDf',
    'Wq8ErT5yUi2oPa6sDf',
    'hooks.slack.com/services/',
  ],
  [
    'curl -H "Authorization: Basic dXNlcjpwYXNz" https://api',
    'dXNlcjpwYXNz',
    'Authorization: Basic ',
    '" https://api',
  ],
  [
    'sending Bearer 9f8e7d6c5b4a3f2e1d0c to gateway',
    '9f8e7d6c5b4a3f2e1d0c',
    'sending Bearer ',
    ' to gateway',
  ],
  ['DB_PASSWORD=correct-horse-battery', 'correct-horse-battery', 'DB_PASSWORD='],
  ['export PGPASSWORD=pgpw123 && psql', 'pgpw123', 'export PGPASSWORD=', ' && psql'],
  ['db_passwd: letmein99', 'letmein99', 'db_passwd: '],
  ['login pwd=qwerty12 user=wei', 'qwerty12', 'login pwd=', ' user=wei'],
  ['JWT_SECRET=jwt-signing-key-value', 'jwt-signing-key-value', 'JWT_SECRET='],
  [
    '{"client_secret": "cs_live_abcdef", "client_id": "app"}',
    'cs_live_abcdef',
    '{"client_secret": "',
    '", "client_id": "app"}',
  ],
  ['GITHUB_TOKEN: tok_abcdef012345', 'tok_abcdef012345', 'GITHUB_TOKEN: '],
  ['https://hooks.example.com/in?token=t0k3nvalue&channel=ops', 't0k3nvalue', '?token=', '&channel=ops'],
  ['LLM_API_KEY=key-12345-abcde', 'key-12345-abcde', 'LLM_API_KEY='],
  ['apikey: zz-top-secret-9', 'zz-top-secret-9', 'apikey: '],
  ['X-Api-Key: 0a1b2c3d4e', '0a1b2c3d4e', 'X-Api-Key: '],
  ['aws_secret_access_key = wJalrXUtnFEMI/K7MDENG', 'wJalrXUtnFEMI/K7MDENG', 'aws_secret_access_key = '],
  ["private_key: 'inline-key-material'", 'inline-key-material', "private_key: '", "'"],
  ['mysql -u root --password hunter2secret -h db', 'hunter2secret', 'mysql -u root --password ', ' -h db'],
  ['deploy --api-token tk_9f8e7d6c --region eu', 'tk_9f8e7d6c', 'deploy --api-token ', ' --region eu'],
  ['auth=user:pa55 next', 'user:pa55', 'auth=', ' next'],
  ['{"accessToken":"at-998877"}', 'at-998877', '{"accessToken":"', '"}'],
  ['key is sk-proj-AbCdEfGhIjKlMnOpQrStUv0123456789', 'sk-proj-AbCdEfGhIjKlMnOpQrStUv0123456789', 'key is '],
  [
    'SLACK_BOT_TOKEN xoxb-1234567890-0987654321-AbCdEfGhIjKl',
    'xoxb-1234567890-0987654321-AbCdEfGhIjKl',
    'SLACK_BOT_TOKEN ',
  ],
  ['user token xoxp-1111111111-2222222222-abcdef', 'xoxp-1111111111-2222222222-abcdef', 'user token '],
  ['app token xapp-1-A0123456789-0123456789-abcdef', 'xapp-1-A0123456789-0123456789-abcdef', 'app token '],
  [
    'cloned with ghp_1234567890abcdefghijABCDEFGHIJ0123 ok',
    'ghp_1234567890abcdefghijABCDEFGHIJ0123',
    'cloned with ',
    ' ok',
  ],
  [
    'pat github_pat_11ABCDEFG0123456789_abcdefghijklmnop',
    'github_pat_11ABCDEFG0123456789_abcdefghijklmnop',
    'pat ',
  ],
  ['aws key AKIAIOSFODNN7EXAMPLE in use', 'AKIAIOSFODNN7EXAMPLE', 'aws key ', ' in use'],
  [
    'maps AIzaSyA1234567890abcdefghijklmnopqrstuv key',
    'AIzaSyA1234567890abcdefghijklmnopqrstuv',
    'maps ',
    ' key',
  ],
  ['gitlab glpat-abcdefghij0123456789 push', 'glpat-abcdefghij0123456789', 'gitlab ', ' push'],
  [
    'cookie eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiIxMjM0NTYifQ.SflKxwRJSMeKKF2QT4fwpMeJf36POk6yJV_adQssw5c set',
    'eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiIxMjM0NTYifQ.SflKxwRJSMeKKF2QT4fwpMeJf36POk6yJV_adQssw5c',
    'cookie ',
    ' set',
  ],
  ['card 4111 1111 1111 1111 charged', '4111 1111 1111 1111', 'card ', ' charged'],
  ['card=5555-5555-5555-4444;', '5555-5555-5555-4444', 'card=', ';'],
  ['amex 378282246310005 ok', '378282246310005', 'amex ', ' ok'],
  ['discover 6011 1111 1111 1117.', '6011 1111 1111 1117', 'discover ', '.'],
  ['mysql --password=s3cr3t! -h db', 's3cr3t!', '--password=', ' -h db'],
  ['password=Tr0ub4dor&3', '&3', 'password='],
  ['PGPASSWORD=a;b,c(d)e ./migrate', ';b,c(d)e', 'PGPASSWORD=', ' ./migrate'],
  ['mysql --password Tr0ub4dor&3 -h db', '&3', '--password ', ' -h db'],
  ['Server=db;Password=pa55&w0rd;User Id=app', '&w0rd', 'Server=db;Password=', ';User Id=app'],
  ['https://hooks.example.com/in?token=t0k3n&x&channel=ops', '&x&', '?token=', '&channel=ops'],
  ['(db_password=hunter2zz), then retry', 'hunter2zz', '(db_password=', '), then retry'],
  ['log: {\\"password\\":\\"esc4ped\\"}', 'esc4ped', 'log: {\\"password\\":\\"', '\\"}'],
  ['secrets.env:3:DB_PASSWORD=hunter2abc', 'hunter2abc', 'secrets.env:3:DB_PASSWORD='],
];

const INNOCENT_LINES = [
  'pg_dump --password-file /run/pw.txt --auth-method md5 app',
  'git commit --no-verify -m fix && npm install --save-dev typescript',
  '2026-03-14T14:00:00.123Z step migrate started',
  'epoch 1718000000000 and 1718000000',
  'HEAD is now at 4b825dc642cb6eb9a060e54bf8d69288fbee4904 fix: retry',
  'deployment id 3f2504e0-4f89-11d3-9a0c-0305e82c3301',
  'uuid 12345678-1234-1234-1234-123456789012',
  'upgrading sparkle v1.14.2 -> v1.15.0 (node 24.21.0)',
  'password_reset_count: 3',
  'token_type: Bearer expires_in: 3600',
  'max_tokens: 4096, input_tokens: 1280',
  'author=wei committer=lin',
  'PWD=/home/wei OLDPWD=/tmp',
  'Basic checks passed; Bearer authentication enabled',
  '🩺 Post-deploy health checks pass: toy-health ok; toy-up ok',
  'Tests pass: all 12',
  'All 3 checks PASS: gateway ok',
  'order 4111111111111112 failed Luhn',
  'discord user 1111222233334444555 joined',
  // Discord mentions and links of ids that start like a card and pass the Luhn check.
  'paging <@200000000000000006> and <@!200000000000000006> of <@&200000000000000006> in <#200000000000000006>',
  'password: ******** (hidden) secret: [REDACTED]',
  // biome-ignore lint/suspicious/noTemplateCurlyInString: a shell variable reference, on purpose
  'export DB_PASSWORD=${DB_PASSWORD} requires_password: true',
  'https://example.com:8443/health?check=1 returned 200',
  // A report's step lines, whose titles end in a credential word.
  '1. Rotate the database password: succeeded 0.1s planned +10s',
  '2. Refresh the access token: failed 0.0s, 2 attempts',
  '  1. Restore the old secret: running when stopped',
  '  ❌ Secret rotation token: NOT met. 2 of 3',
  'Alembic: Running upgrade 1a2b3c4d5e6f -> 9f8e7d6c5b4a, add index',
  'desk-booking-service-v2 task-runner-abcdefghijklmnopqrstuvwxyz started',
  // A file and a position (a validator's, a linter's, grep -n's), whose file name names a credential.
  'runbooks/secrets.yaml:16:5: unknown key "timout" in steps[0]',
  'token-rotation.yml:3: wrong indentation: expected 2 but found 4',
  'config/password-policy.json:12:1: trailing comma',
];

describe('createRedactor', () => {
  it.each(SECRET_LINES)('redacts %s', (line, secret, ...kept) => {
    const out = redactor.redact(line);
    expect(out).not.toContain(secret);
    expect(out).toContain(REDACTED);
    for (const part of kept) expect(out).toContain(part);
  });

  it.each(INNOCENT_LINES)('keeps %s', (line) => {
    expect(redactor.redact(line)).toBe(line);
  });

  it('is idempotent over the whole corpus', () => {
    for (const line of [...SECRET_LINES.map(([l]) => l), ...INNOCENT_LINES]) {
      const once = redactor.redact(line);
      expect(redactor.redact(once)).toBe(once);
    }
  });

  it('redacts the body of private key blocks, keeping the markers', () => {
    const pem = [
      '-----BEGIN RSA PRIVATE KEY-----',
      'MIIEpAIBAAKCAQEA1',
      'q2w3e4r5t6',
      '-----END RSA PRIVATE KEY-----',
    ];
    const out = redactor.redact(`key:\n${pem.join('\n')}\ndone`);
    expect(out).toBe(`key:\n${pem[0]}\n${REDACTED}\n${pem[3]}\ndone`);
    expect(redactor.redact('-----BEGIN OPENSSH PRIVATE KEY-----\nb3BlbnNzaC1rZXk')).not.toContain(
      'b3BlbnNzaC1rZXk',
    );
    const pgp = [
      '-----BEGIN PGP PRIVATE KEY BLOCK-----',
      'lQOYBGPGPSECRET',
      '-----END PGP PRIVATE KEY BLOCK-----',
    ];
    expect(redactor.redact(`${pgp.join('\n')}\nnext`)).toBe(`${pgp[0]}\n${REDACTED}\n${pgp[2]}\nnext`);
  });

  it('prefers the longest known secret and ignores short and empty ones', () => {
    const r = createRedactor({ secrets: ['abc', 'abcdef', 'xy', ''] });
    expect(r.redact('abcdef abc xy')).toBe(`${REDACTED} ${REDACTED} xy`);
  });

  it('redacts a 3-character secret only where it stands alone, so words that contain it stay whole', () => {
    const r = createRedactor({ secrets: ['k9x', 'dev'] });
    expect(r.redact('pin k9x, pin=k9x; k9xs and dev in development and devops')).toBe(
      `pin ${REDACTED}, pin=${REDACTED}; k9xs and ${REDACTED} in development and devops`,
    );
  });

  it('redacts each line of a multi-line secret when it appears alone', () => {
    const r = createRedactor({ secrets: ['line-one-secret\nline-two-secret'] });
    expect(r.redact('got line-two-secret')).toBe(`got ${REDACTED}`);
  });

  it('treats regular-expression characters in secrets literally', () => {
    const r = createRedactor({ secrets: ['a.b*c(d)'] });
    expect(r.redact('x a.b*c(d) y aXbbbc(d)')).toBe(`x ${REDACTED} y aXbbbc(d)`);
  });

  it('handles 1 MB lines quickly, even adversarial ones', () => {
    const lines = [
      'a'.repeat(1_000_000),
      'password='.repeat(110_000),
      '4'.repeat(1_000_000),
      '4111 '.repeat(200_000),
      'sk-'.repeat(340_000),
      'eyJ'.repeat(340_000),
      '://a:b'.repeat(170_000),
      'Bearer '.repeat(150_000),
      'token: "\\'.repeat(110_000),
      '-----BEGIN PRIVATE KEY-----'.repeat(40_000),
      `${'x '.repeat(250_000)}DB_PASSWORD=hunter2-db ${'y'.repeat(500_000)}`,
      'pass:x '.repeat(150_000),
      'mysql -pX curl -u a:b '.repeat(50_000),
      "IDENTIFIED BY 'x' <password>x</password> ".repeat(25_000),
      'machine h login u password x '.repeat(35_000),
    ];
    // Linear work takes about a second here; a pattern that backtracks over a 1 MB line takes hours. The bound is
    // far from both, so a busy machine does not fail it and a quadratic pattern does.
    const started = performance.now();
    for (const line of lines) redactor.redact(line);
    expect(performance.now() - started).toBeLessThan(20_000);
  }, 30_000);
});
