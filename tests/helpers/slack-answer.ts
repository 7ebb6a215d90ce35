/** The text a slash command answers on Slack, whether in its HTTP response or later by its response URL. */
import { expect } from 'vitest';
import type { SlackHarness } from './slack-harness.ts';

/** Sends `line` as `user` (the request must be taken: 200) and returns the text of the answer. */
export async function answerText(h: SlackHarness, user: string, line: string): Promise<string> {
  const sent = await h.command(user, line);
  expect(sent.status).toBe(200);
  const inBody = sent.body.length > 0 ? (JSON.parse(sent.body) as { text?: string }).text : undefined;
  if (inBody !== undefined) return inBody;
  const reply = await h.waitFor(`the answer to ${line}`, () =>
    h.fake.responses.find((r) => r.tag === sent.tag),
  );
  return String((reply.body as { text?: unknown }).text);
}
