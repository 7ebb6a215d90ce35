/** The process logger: pino, with every line passed through the redactor before it is written. */
import pino from 'pino';
import { isSensitiveKey, type Redactor } from '../core/index.ts';

/** The logger the rest of the program is handed. */
export type Logger = pino.Logger;

export interface LoggerOptions {
  readonly level: string;
  readonly redactor: Redactor;
  /** Where lines go (default stdout); tests pass a capturing stream. */
  readonly destination?: pino.DestinationStream;
}

/** Fields censored by name wherever they are logged, whatever their value looks like. */
const REDACT_PATHS = [
  'password',
  '*.password',
  'token',
  '*.token',
  'secret',
  '*.secret',
  'secrets',
  '*.secrets',
  'apiKey',
  '*.apiKey',
  'authorization',
  '*.authorization',
  'headers.authorization',
  'headers.cookie',
  'req.headers.authorization',
  'req.headers.cookie',
  'req.headers["x-slack-signature"]',
  'env',
  '*.env',
];

/**
 * A field or header whose name says it holds a credential (`X-Auth-Token`, `PRIVATE-TOKEN`, `Cookie`), wherever it
 * is: its value is a separate string, which the redactor alone reads without the name.
 */
function namesCredential(key: string): boolean {
  return /^(?:set-)?cookie$/i.test(key) || isSensitiveKey(key);
}

/** A credential-named field's value: each string in it is replaced whole. */
function censor(value: unknown): unknown {
  if (typeof value === 'string') return value === '' ? value : '[REDACTED]';
  if (Array.isArray(value)) return value.map(censor);
  return value;
}

function redactValue(value: unknown, redactor: Redactor): unknown {
  if (typeof value === 'string') return redactor.redact(value);
  if (Array.isArray(value)) {
    // Headers as a flat list of names and values (Node's rawHeaders) or as [name, value] pairs.
    return value.map((item, i) => {
      const name = value[i - 1];
      return typeof name === 'string' && typeof item === 'string' && namesCredential(name)
        ? censor(item)
        : redactValue(item, redactor);
    });
  }
  if (value !== null && typeof value === 'object') {
    return Object.fromEntries(
      Object.entries(value).map(([key, item]) => [
        key,
        namesCredential(key) && (typeof item === 'string' || Array.isArray(item))
          ? censor(item)
          : redactValue(item, redactor),
      ]),
    );
  }
  return value;
}

/** Redacts each string of a serialized JSON line (msg, nested values, error messages and stacks). */
function redactLine(line: string, redactor: Redactor): string {
  try {
    return `${JSON.stringify(redactValue(JSON.parse(line), redactor))}\n`;
  } catch {
    // Not JSON (a custom serializer or transport): the text itself is redacted.
    return redactor.redact(line);
  }
}

/**
 * Creates the logger. Known secret-holding fields are censored by pino's `redact.paths`, and the final line goes
 * through the redactor, so secrets interpolated into messages or error stacks are scrubbed too.
 */
export function createLogger(options: LoggerOptions): Logger {
  const { redactor } = options;
  const config: pino.LoggerOptions = {
    level: options.level,
    redact: { paths: REDACT_PATHS, censor: '[REDACTED]' },
    hooks: { streamWrite: (line) => redactLine(line, redactor) },
  };
  return options.destination ? pino(config, options.destination) : pino(config);
}
