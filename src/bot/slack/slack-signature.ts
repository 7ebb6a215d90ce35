/**
 * Slack's request signature, checked by Bolt's own function (taken from its module alone, so that the ingress
 * thread, which checks signatures and nothing else of Bolt's, does not load the rest of Bolt).
 */
import type { IncomingHttpHeaders } from 'node:http';
import { isValidSlackRequest } from '@slack/bolt/dist/receivers/verify-request.js';

/** Whether the body carries Slack's signature, made with `signingSecret` less than five minutes ago. */
export function signedBySlack(headers: IncomingHttpHeaders, text: string, signingSecret: string): boolean {
  const signature = headers['x-slack-signature'];
  const timestamp = Number(headers['x-slack-request-timestamp']);
  if (typeof signature !== 'string' || !Number.isFinite(timestamp)) return false;
  return isValidSlackRequest({
    signingSecret,
    body: text,
    headers: { 'x-slack-signature': signature, 'x-slack-request-timestamp': timestamp },
  });
}
