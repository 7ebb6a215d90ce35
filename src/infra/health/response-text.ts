/** Short, one-line descriptions of unexpected answers, for failing health results. */
import type * as z from 'zod';
import { createRedactor } from '../../core/index.ts';

/** Credentials by their shapes; the chat and the log redact known values too, but only after the cut. */
const shapes = createRedactor({});

/**
 * `: <first line of the body>` (at most 120 characters), or nothing for an empty body. The line is redacted before
 * it is cut: a credential the cut ends in the middle of (`http://am:pass…`) no longer has the shape that shows it.
 */
export function excerptOf(body: string): string {
  const line = shapes.redact(body.trim().split('\n')[0]?.trim() ?? '');
  return line === '' ? '' : `: ${line.length > 120 ? `${line.slice(0, 120)}…` : line}`;
}

/** `data.resultType: Invalid option…`: the first zod issue with its path. */
export function firstIssueOf(error: z.ZodError): string {
  const issue = error.issues[0];
  if (!issue) return 'invalid';
  return issue.path.length > 0 ? `${issue.path.join('.')}: ${issue.message}` : issue.message;
}
