/**
 * What the CLI writes to stderr and stdout passes a redactor, as its logs do: credential shapes and the bot's own
 * tokens (a password a runbook's command holds, shown by `plan`; a record `audit export` prints).
 */
import { readOwnSecrets } from '../config/config.ts';
import {
  createRedactor,
  escapeCodeUnit,
  escapeFileName,
  type Redactor,
  redactStrings,
} from '../core/index.ts';

let redactor: Redactor | undefined;

/** The CLI's redactor: the patterns, and the bot's own secrets from the environment. */
export function cliRedactor(): Redactor {
  redactor ??= createRedactor({ secrets: readOwnSecrets(process.env) });
  return redactor;
}

/** Redacts text bound for stderr (a URL's password, a token) however the message that carries it was made. */
export function redactErrorText(text: string): string {
  return cliRedactor().redact(text);
}

/**
 * Redacts text bound for stdout. JSON (`plan --json`, `audit export`, `schema`) has each of its strings redacted and
 * is written back as it was laid out (one line, or indented by two), so a match can never run across its quotes.
 */
export function redactOutputText(text: string): string {
  if (text.startsWith('{') || text.startsWith('[')) {
    let parsed: unknown;
    try {
      parsed = JSON.parse(text);
    } catch {
      return cliRedactor().redact(text);
    }
    const indent = text.includes('\n') ? 2 : undefined;
    const redacted = JSON.stringify(redactStrings(parsed, cliRedactor()), null, indent);
    // Another layout is kept as it was when nothing in it changed.
    return redacted === JSON.stringify(parsed, null, indent) ? text : redacted;
  }
  return cliRedactor().redact(text);
}

// biome-ignore lint/suspicious/noControlCharactersInRegex: the control characters are what is escaped.
const CONTROLS = /[\u0000-\u0008\u000b-\u001f\u007f-\u009f\u202a-\u202e\u2066-\u2069]/g;

/**
 * Control characters (ESC, BEL, CR, …) written as `\u001b`, so a runbook's or an argument's cannot clear the
 * terminal, hide a line or set the window title; and the bidirectional overrides and isolates, so a command that
 * `plan` shows reads as it runs, not reordered. Tabs and line breaks stay. Inside a JSON string the escape means
 * the same character, so JSON lines (`audit export`, `plan --json`) keep their values.
 */
export function escapeControls(text: string): string {
  return text.replace(CONTROLS, escapeCodeUnit);
}

/**
 * Writes one line to stderr, redacted, its control characters escaped. A line about a file (`FILE:LINE:COL: …`) names
 * it in `file`: the path is written as given, since the redactor would read `/etc/passwd:1:1:` as a password, its
 * control characters (a line break too) escaped so the line stays one line.
 */
export function writeErrorLine(line: string, file?: string): void {
  process.stderr.write(`${shownLine(line, file, redactErrorText)}\n`);
}

/**
 * Writes one line to stdout, redacted, its control characters escaped. A line about a file names it in `file`, written
 * as given but escaped, as for an error line.
 */
export function writeOutputLine(line: string, file?: string): void {
  process.stdout.write(`${shownLine(line, file, redactOutputText)}\n`);
}

const PROGRAM = 'preflight: ';

/**
 * A line as a terminal shows it: the `file` it starts with (after `preflight: ` in a line that says what stopped the
 * program) escaped only, the rest redacted and escaped.
 */
function shownLine(line: string, file: string | undefined, redact: (text: string) => string): string {
  const lead = file !== undefined && line.startsWith(`${PROGRAM}${file}`) ? PROGRAM : '';
  const body = line.slice(lead.length);
  const [path, rest] =
    file !== undefined && body.startsWith(file) ? [file, body.slice(file.length)] : ['', body];
  return `${lead}${escapeFileName(path)}${escapeControls(redact(rest))}`;
}
