/** What `preflight start` tells the person who started it, once its HTTP server listens. */
import type { Runbook } from '../core/index.ts';
import { SLACK_SETUP } from './start-slack.ts';

/** The runbooks' `requires.env` variables that the environment leaves unset, by service. */
export function unsetRequiredEnv(
  runbooks: readonly Runbook[],
  env: Record<string, string | undefined>,
): string[] {
  return runbooks.flatMap((runbook) => {
    const unset = (runbook.requires?.env ?? []).filter((name) => (env[name] ?? '') === '');
    return unset.length > 0 ? [`${runbook.service}: ${unset.join(', ')}`] : [];
  });
}

const routes = '/healthz, /readyz, /metrics, POST /webhooks/alertmanager';

function unsetLine(unset: readonly string[]): string {
  return unset.length > 0
    ? ` Unset variables the runbooks require (deployments will be refused until they are set): ${unset.join('; ')}.`
    : '';
}

/** One line for a server with no chat and no terminal: what to set, and that it serves HTTP meanwhile. */
export function noChatLine(port: number, unset: readonly string[]): string {
  return `no chat configured: set ${SLACK_SETUP}, or DISCORD_TOKEN and DISCORD_APPLICATION_ID, or run "preflight console" in a terminal. Serving HTTP on port ${port} meanwhile (${routes}).${unsetLine(unset)}`;
}

/** The terminal chat's first line. */
export function terminalBanner(user: string, port: number, unset: readonly string[]): string {
  return `Preflight is running; you type as @${user}. HTTP on port ${port} (${routes}).${unsetLine(unset)} Type "help" for the grammar, Ctrl-C to drop a line, Ctrl-D to stop.`;
}
