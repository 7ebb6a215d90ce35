/** Discord out of reach (no answer, a refused connection, a name that does not resolve): what happened and what to do. */

/** One line: where Preflight tried, why it failed, and what to check before trying again. */
export function discordUnreachable(what: string, apiUrl: string | undefined, error: unknown): string {
  const cause = error instanceof Error ? error.message : String(error);
  const check = apiUrl
    ? `check that DISCORD_API_URL is right and answers (or unset it to use Discord's own)`
    : `check that this machine reaches discord.com (network, proxy, firewall)`;
  return `${what}${apiUrl ? ` at ${apiUrl} (DISCORD_API_URL)` : ''}: ${cause.replace(/\.$/, '')}; ${check}, then try again`;
}
