/** Whether a request's headers declare a plain JSON body, as webhook senders such as Alertmanager send it. */
import type { IncomingHttpHeaders } from 'node:http';

/** The header that keeps a body from being plain JSON, and what it said (shortened), or undefined when it is. */
export type JsonHeaderProblem = {
  readonly header: 'Content-Type' | 'Content-Encoding';
  readonly got: string;
};

const shown = (value: string) => (value.length > 100 ? `${value.slice(0, 100)}…` : value);

/**
 * A body counts as JSON only when Content-Type says application/json (any parameters, any case) and nothing
 * compresses it. A page in a browser can post text/plain, a form or a typeless body to any port without asking
 * first; it cannot send application/json without a CORS preflight, which gets 405.
 */
export function jsonHeaderProblem(headers: IncomingHttpHeaders): JsonHeaderProblem | undefined {
  const type = headers['content-type'];
  if (type?.split(';')[0]?.trim().toLowerCase() !== 'application/json')
    return { header: 'Content-Type', got: type === undefined ? 'none' : shown(type) };
  const encoding = headers['content-encoding']?.trim();
  if (encoding && encoding.toLowerCase() !== 'identity')
    return { header: 'Content-Encoding', got: shown(encoding) };
  return undefined;
}
