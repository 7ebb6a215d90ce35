/** Quotes a runbook value in a message, shortened: masked first, so a credential cut short is never shown whole. */
import { createRedactor } from '../redact/redactor.ts';

const shapes = createRedactor({});

/**
 * The value in double quotes, at most `max` characters of it. Credential shapes are masked before it is cut: a
 * URL's password or a `KEY=value` loses the part the redactor recognises it by when cut, and would show.
 */
export function quoteValue(value: string, max: number): string {
  const masked = shapes.redact(value);
  return `"${masked.length > max ? `${masked.slice(0, max - 3)}...` : masked}"`;
}
