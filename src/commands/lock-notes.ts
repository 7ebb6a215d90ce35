/** The locks `/deploy status` tells of: manual ones and those kept after a rollback, with who, why, until when. */
import { describeLockHolder, type Runbook } from '../core/index.ts';
import type { CommandContext } from './command.ts';

/**
 * One `🔒 …` line per environment (of every service Preflight deploys, or only `only`'s) that a manual lock or a
 * rollback holds, saying who holds it, why, until when and how to release it; a deployment's own lock is not told.
 */
export async function lockLines(
  ctx: CommandContext,
  now: number,
  only?: { readonly service: string; readonly environment?: string },
): Promise<string[]> {
  const { engine } = ctx.services;
  const targets: { service: string; environment: string; runbook: Runbook }[] = [];
  for (const service of only ? [only.service] : engine.runbooks.services()) {
    const runbook = engine.runbooks.current(service)?.runbook;
    if (!runbook) continue;
    const environments = Object.keys(runbook.environments);
    for (const environment of only?.environment !== undefined ? [only.environment] : environments)
      targets.push({ service: runbook.service, environment, runbook });
  }
  // Asked all at once (one burst on the connection), not one round trip per environment of every service.
  const holders = await Promise.all(targets.map((t) => engine.store.lockHolder(t.service, t.environment)));
  const lines: string[] = [];
  for (const [i, { service, environment, runbook }] of targets.entries()) {
    const holder = holders[i];
    if (holder === undefined || holder.kind === 'deployment') continue;
    const told = await describeLockHolder(
      engine.store,
      { service, environment },
      holder,
      now,
      engine.incidents,
      runbook.people,
      runbook.timezone,
    );
    lines.push(`🔒 ${told}`);
  }
  return lines;
}

/** The lines of `lockLines`, each after a line break, or nothing. */
export const afterLines = (lines: readonly string[]): string =>
  lines.length > 0 ? `\n${lines.join('\n')}` : '';
