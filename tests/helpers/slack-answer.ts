/** The text a slash command answers on Slack, whether in its HTTP response or later by its response URL. */
import { expect } from 'vitest';
import { typedCommand } from './signed-slack.ts';
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

/**
 * Types `line` (the command, then its words) as `user` in `channel`; the request must be taken (200). Returns the
 * body of the answer sent to the command's response URL.
 */
export async function answerIn(
  h: SlackHarness,
  user: string,
  channel: string,
  line: string,
): Promise<Record<string, unknown>> {
  const tag = `${channel}-${Math.random().toString(36).slice(2)}`;
  const request = typedCommand({ user, line, channel, responseUrl: h.fake.responseUrl(tag), tag });
  expect((await h.send(request)).status).toBe(200);
  return (await h.waitFor(`the answer to ${line}`, () => h.fake.responses.find((r) => r.tag === tag))).body;
}
