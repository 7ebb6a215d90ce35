/** Every logged line is redacted: known fields by name, and secrets anywhere in messages, values and errors. */
import { describe, expect, it } from 'vitest';
import { createRedactor } from '../../../src/core/index.ts';
import { createLogger } from '../../../src/infra/logger.ts';

const SECRET = 'pg-s3cret-value-42';

function captureLogger(level = 'info') {
  const lines: string[] = [];
  const logger = createLogger({
    level,
    redactor: createRedactor({ secrets: [SECRET] }),
    destination: { write: (line: string) => lines.push(line) },
  });
  const records = () => lines.map((line) => JSON.parse(line) as Record<string, unknown>);
  return { logger, lines, records };
}

describe('createLogger', () => {
  it('redacts a secret interpolated into the message', () => {
    const { logger, lines, records } = captureLogger();
    logger.info(`connecting with ${SECRET} and token=abc123xyz`);
    expect(lines.join('')).not.toContain(SECRET);
    expect(lines.join('')).not.toContain('abc123xyz');
    expect(records()[0]?.msg).toBe('connecting with [REDACTED] and token=[REDACTED]');
  });

  it('redacts secrets in nested values and in known fields', () => {
    const { logger, lines, records } = captureLogger();
    logger.info(
      {
        step: { id: 'migrate', output: ['ok', `DATABASE_URL=postgresql://app:${SECRET}@db/app`] },
        user: { name: 'wei', password: 'plain-pw' },
        req: { headers: { authorization: 'Bearer zzz', 'x-slack-signature': 'v0=abc', host: 'bot' } },
        env: { DB_PASSWORD: 'whatever' },
      },
      'step done',
    );
    const text = lines.join('');
    for (const secret of [SECRET, 'plain-pw', 'zzz', 'v0=abc', 'whatever'])
      expect(text).not.toContain(secret);
    const [record] = records();
    expect(record).toMatchObject({
      msg: 'step done',
      step: { id: 'migrate', output: ['ok', 'DATABASE_URL=postgresql://app:[REDACTED]@db/app'] },
      user: { name: 'wei', password: '[REDACTED]' },
      req: { headers: { authorization: '[REDACTED]', 'x-slack-signature': '[REDACTED]', host: 'bot' } },
      env: '[REDACTED]',
    });
  });

  it("redacts an error's message and stack", () => {
    const { logger, lines, records } = captureLogger();
    logger.error(new Error(`auth failed for ${SECRET}`), 'step failed');
    logger.error({ err: new Error('bad DB_PASSWORD=hunter2-x') });
    const text = lines.join('');
    expect(text).not.toContain(SECRET);
    expect(text).not.toContain('hunter2-x');
    const [first, second] = records() as Array<{ err: { message: string; stack: string } }>;
    expect(first?.err.message).toBe('auth failed for [REDACTED]');
    expect(first?.err.stack).toContain('auth failed for [REDACTED]');
    expect(second?.err.message).toBe('bad DB_PASSWORD=[REDACTED]');
  });

  it('redacts the bindings of child loggers and keeps the level', () => {
    const { logger, lines, records } = captureLogger('warn');
    const child = logger.child({ deployment: 'sparkle-42', apiKey: 'k-123456', note: `pw ${SECRET}` });
    child.info('not written');
    child.warn('written');
    expect(lines).toHaveLength(1);
    expect(lines[0]).not.toContain(SECRET);
    expect(records()[0]).toMatchObject({
      deployment: 'sparkle-42',
      apiKey: '[REDACTED]',
      note: 'pw [REDACTED]',
    });
    expect(lines[0]).not.toContain('k-123456');
  });

  it('redacts the headers of a failed HTTP request by their names, wherever the error holds them', () => {
    const { logger, lines, records } = captureLogger();
    const failed = Object.assign(new Error('Request failed with status code 401'), {
      config: {
        headers: {
          'X-Auth-Token': 'xat-51f0c2',
          'PRIVATE-TOKEN': 'pvt-9d1e77',
          'X-Vault-Token': 'vault-3c8a2b',
          Cookie: 'sid=ck-4e6f10',
          'Content-Type': 'application/json',
        },
      },
      request: { headers: { authorization: 'token gho-7a2c91', 'set-cookie': ['sid=sc-0b4d55; Path=/'] } },
      rawHeaders: ['Host', 'api.local', 'X-Api-Key', 'apk-6e2f08', 'User-Agent', 'curl/8'],
    });
    logger.error({ err: failed }, 'http request failed');
    const text = lines.join('');
    for (const secret of ['xat-', 'pvt-', 'vault-', 'ck-', 'gho-', 'sc-', 'apk-'])
      expect(text).not.toContain(secret);
    expect(records()[0]).toMatchObject({
      err: {
        config: {
          headers: {
            'X-Auth-Token': '[REDACTED]',
            'PRIVATE-TOKEN': '[REDACTED]',
            Cookie: '[REDACTED]',
            'Content-Type': 'application/json',
          },
        },
        request: { headers: { authorization: '[REDACTED]', 'set-cookie': ['[REDACTED]'] } },
        rawHeaders: ['Host', 'api.local', 'X-Api-Key', '[REDACTED]', 'User-Agent', 'curl/8'],
      },
    });
  });
});
