/**
 * Words that come from outside and are kept (a person's reason or note, an alert's title): a credential in them is
 * masked before it is stored, audited or sent on, not only when chat shows it. They are masked by the redactor chat
 * uses, so a runbook's own secret values (its `requires.env`) go as well as what patterns find.
 */
import { plainLiterals } from '../chat/outside-text.ts';
import { defuseMentions } from '../chat-text.ts';
import type { Redactor } from './redactor.ts';

/**
 * Control characters (a terminal escape, a bell), and the bidirectional overrides and isolates that make text read
 * backwards; tab and newline stay.
 */
// biome-ignore lint/suspicious/noControlCharactersInRegex: the control characters are what is dropped.
const UNSAFE = /[\u0000-\u0008\u000b-\u001f\u007f-\u009f\u202a-\u202e\u2066-\u2069]/g;

/**
 * The text as Preflight keeps and repeats it: control and direction-override characters (and the marks of chat
 * text's literal spans) dropped, credentials masked (known values and patterns), a platform's mention (`<@U…>`) made
 * plain and `@{` broken up, so typed words cannot ping anyone when they are shown.
 */
export function maskText(text: string, redactor: Redactor): string {
  return defuseMentions(redactor.redact(plainLiterals(text.replace(UNSAFE, '')))).replaceAll('@{', '@ {');
}

/** A one-line text (a reason, a title): as maskText, with line breaks made spaces, so it cannot forge a line. */
export function maskLine(text: string, redactor: Redactor): string {
  return maskText(text, redactor)
    .replace(/\s*[\r\n]+\s*/g, ' ')
    .trim();
}

/**
 * The event with its free-text fields masked: `reason`, `names` (alert names) and a cause's `title` to one line,
 * `note` and `detail`.
 */
export function maskEventText<E extends object>(event: E, redactor: Redactor): E {
  const fields = event as Record<string, unknown>;
  let masked: Record<string, unknown> | undefined;
  for (const key of ['reason', 'names', 'note', 'detail']) {
    const value = fields[key];
    if (typeof value !== 'string') continue;
    const clean = key === 'reason' || key === 'names' ? maskLine(value, redactor) : maskText(value, redactor);
    if (clean !== value) masked = { ...(masked ?? fields), [key]: clean };
  }
  const cause = fields.cause as { title?: unknown } | undefined;
  if (cause && typeof cause.title === 'string') {
    const clean = maskLine(cause.title, redactor);
    if (clean !== cause.title) masked = { ...(masked ?? fields), cause: { ...cause, title: clean } };
  }
  return (masked ?? event) as E;
}
