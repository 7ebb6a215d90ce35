/** Request bodies and answers of the fake Discord REST API: JSON or multipart (payload_json + files). */
import type { IncomingMessage, ServerResponse } from 'node:http';

export type Body = Record<string, unknown>;
export interface Parsed {
  readonly body: Body;
  readonly files: { name: string; content: string }[];
  /** The query string (set by the REST handler). */
  readonly query?: URLSearchParams;
}

export async function parseBody(req: IncomingMessage): Promise<Parsed> {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  const raw = Buffer.concat(chunks);
  const type = req.headers['content-type'] ?? '';
  if (raw.length === 0) return { body: {}, files: [] };
  if (type.startsWith('multipart/form-data')) {
    const form = await new Request('http://fake/', {
      method: 'POST',
      headers: { 'content-type': type },
      body: raw,
    }).formData();
    const files: Parsed['files'] = [];
    let body: Body = {};
    for (const [key, value] of form) {
      if (key === 'payload_json') body = JSON.parse(String(value)) as Body;
      else if (typeof value !== 'string') files.push({ name: value.name, content: await value.text() });
    }
    return { body, files };
  }
  return { body: JSON.parse(raw.toString('utf8')) as Body, files: [] };
}

/** A JSON answer. */
export function json(res: ServerResponse, status: number, body: unknown): void {
  res.writeHead(status, { 'content-type': 'application/json' });
  res.end(JSON.stringify(body));
}

/** A 204 without a content-type: discord.js would try to parse an empty JSON body. */
export function empty(res: ServerResponse): void {
  res.writeHead(204);
  res.end();
}
