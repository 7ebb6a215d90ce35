/**
 * How Preflight quotes a chat platform's refusal in errors and logs: `<who> answered <code>`, then what to do
 * after a semicolon. Never `<who>: <code>`: the secret redactor reads `key: value` as a credential when a word of
 * the key names one (`auth.test: invalid_auth`, `token_revoked: …`, `bot token: check …`), and the reason would
 * reach stderr and logs as [REDACTED].
 */

/** `Slack answered invalid_auth`, `Discord answered 50013 (Missing Permissions)`. */
export function platformAnswered(who: string, code: string | number, detail?: string): string {
  return `${who} answered ${code}${detail ? ` (${detail})` : ''}`;
}

/** `cannot post to #deployments: Slack answered not_in_channel; invite it there …`. */
export function cannotDo(what: string, answered: string, hint: string): string {
  return `cannot ${what}: ${answered}; ${hint}`;
}
