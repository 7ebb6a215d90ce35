/** What the CLI writes to stderr passes a redactor, as its logs do: credential shapes and the bot's own tokens. */
import { readOwnSecrets } from '../config/config.ts';
import { createRedactor, type Redactor } from '../core/index.ts';

let redactor: Redactor | undefined;

/** Redacts text bound for stderr (a URL's password, a token) however the message that carries it was made. */
export function redactErrorText(text: string): string {
  redactor ??= createRedactor({ secrets: readOwnSecrets(process.env) });
  return redactor.redact(text);
}

/** Writes one line to stderr, redacted. */
export function writeErrorLine(line: string): void {
  process.stderr.write(`${redactErrorText(line)}\n`);
}
