/**
 * A client in a process of its own, as Slack's servers are: `node bench/http-client-child.ts` reads
 * `{ "url": …, "requests": [{ "headers": …, "body": … }] }` on stdin, POSTs them one after the other on a kept-alive
 * connection and prints one JSON line `{ "ms": [...], "statuses": [...] }` (request written → whole answer read).
 * The bench's own process hosts the bot and the fake chat API; a client there would time their work as well as the
 * server's answer.
 */
import { closeBenchHttp, postTimed } from './bench-http.ts';

interface Batch {
  readonly url: string;
  readonly requests: readonly { headers: Record<string, string>; body: string }[];
}

const chunks: Buffer[] = [];
for await (const chunk of process.stdin) chunks.push(chunk as Buffer);
const batch = JSON.parse(Buffer.concat(chunks).toString('utf8')) as Batch;
// Slack's servers do not collect this process's start-up garbage while they wait for an answer: collected here,
// before the first request, a full collection of it does not fall inside a timed request.
globalThis.gc?.();
const ms: number[] = [];
const statuses: number[] = [];
for (const { headers, body } of batch.requests) {
  const answer = await postTimed(batch.url, headers, body);
  ms.push(answer.ms);
  statuses.push(answer.status);
}
closeBenchHttp();
process.stdout.write(`${JSON.stringify({ ms, statuses })}\n`);
