/**
 * Words that come from outside and are kept (a person's reason or note, an alert's title): a credential in them is
 * masked before it is stored, audited or sent on, not only when chat shows it. Patterns only: these words name no
 * runbook secret that the chat redactor would know by value.
 */
import { createRedactor } from './redactor.ts';

const PATTERNS = createRedactor({});

/** The text with credentials masked. */
export function maskText(text: string): string {
  return PATTERNS.redact(text);
}

/** The event with its free-text fields (`reason`, `note`, `detail`, a cause's `title`) masked. */
export function maskEventText<E extends object>(event: E): E {
  const fields = event as Record<string, unknown>;
  let masked: Record<string, unknown> | undefined;
  for (const key of ['reason', 'note', 'detail']) {
    const value = fields[key];
    if (typeof value !== 'string') continue;
    const clean = maskText(value);
    if (clean !== value) masked = { ...(masked ?? fields), [key]: clean };
  }
  const cause = fields.cause as { title?: unknown } | undefined;
  if (cause && typeof cause.title === 'string') {
    const clean = maskText(cause.title);
    if (clean !== cause.title) masked = { ...(masked ?? fields), cause: { ...cause, title: clean } };
  }
  return (masked ?? event) as E;
}
