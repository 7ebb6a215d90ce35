/** Short, one-line descriptions of unexpected answers, for failing health results. */
import type * as z from 'zod';

/** `: <first line of the body>` (at most 120 characters), or nothing for an empty body. */
export function excerptOf(body: string): string {
  const line = body.trim().split('\n')[0]?.trim() ?? '';
  return line === '' ? '' : `: ${line.length > 120 ? `${line.slice(0, 120)}…` : line}`;
}

/** `data.resultType: Invalid option…`: the first zod issue with its path. */
export function firstIssueOf(error: z.ZodError): string {
  const issue = error.issues[0];
  if (!issue) return 'invalid';
  return issue.path.length > 0 ? `${issue.path.join('.')}: ${issue.message}` : issue.message;
}
