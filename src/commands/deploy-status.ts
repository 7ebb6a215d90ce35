/** `/deploy status [<id>]` */
import * as z from 'zod';
import {
  type Deployment,
  describeLockHolder,
  isFinal,
  summarizeDeployment,
  summarizeLine,
  UserError,
} from '../core/index.ts';
import { type Command, type CommandContext, privately } from './command.ts';
import { findDeployment } from './find-deployment.ts';
import { parseArgs, Word } from './parse-words.ts';

const usage = '/deploy status [<id>]';
const Args = z.tuple([Word.optional()]);

export const deployStatus = {
  name: 'deploy status',
  usage,
  summary: 'where a deployment stands (default: the active one)',
  parse: (words) => parseArgs(Args, words, usage),
  async run(ctx, [id]) {
    const { engine } = ctx.services;
    const now = engine.clock.now();
    // Reading is harmless: without an id, status shows the active deployment wherever it is followed.
    const found = await findDeployment(ctx, id, '/deploy status <deployment>', { anyChannel: true });
    if (found instanceof UserError) {
      // Named, or typed in a thread: that one is meant, not the list of recent ones.
      if (
        id !== undefined ||
        ctx.threadDeployment !== undefined ||
        found.message.includes('deployments are active')
      )
        throw found;
      const recent = await engine.store.list({ limit: 5 });
      const held = await lockNotes(ctx, recent, now);
      if (recent.length === 0)
        return privately('No deployments yet. Start one with /deploy start <service> <version>.');
      return privately(
        `No deployment is active. Recent:\n${recent.map((d) => summarizeLine(d, now)).join('\n')}${held}`,
      );
    }
    const d = found.deployment;
    const holder = await engine.store.lockHolder(d.service, d.environment);
    const lock =
      holder?.kind === 'rollback'
        ? `\n🔒 ${await describeLockHolder(engine.store, d, holder, now, engine.incidents)}`
        : '';
    const refused = (await ctx.services.notifier.refused?.(d.id))
      ? `\n⚠️ ${found.runbook.channels.deploy} refuses Preflight's posts, so this thread's new messages are not shown there (they wait, in order). Give Preflight access to that channel: it tries again at least once a minute.`
      : '';
    const root = await ctx.services.messages?.find(d.id, 'status');
    const closed =
      root && (await ctx.services.ports?.[d.origin]?.threadClosed?.(root))
        ? `\n⚠️ This deployment's thread in ${found.runbook.channels.deploy} takes no more of Preflight's posts (it was archived and locked), so its new messages are given up there: follow it here with /deploy status ${d.id}${isFinal(d) ? '' : ` (its requester was told by direct message), or stop it with /deploy abort ${d.id}`}. A moderator can unlock the thread: Preflight tries it again with its next message after at most 15 minutes.`
        : '';
    return privately(`${summarizeDeployment(d, found.runbook, now)}${lock}${refused}${closed}`);
  },
} satisfies Command<z.output<typeof Args>>;

/** Lines for the services and environments of `recent` that are locked after a rollback. */
async function lockNotes(ctx: CommandContext, recent: readonly Deployment[], now: number): Promise<string> {
  const { engine } = ctx.services;
  const seen = new Set<string>();
  const lines: string[] = [];
  for (const d of recent) {
    const where = `${d.service}:${d.environment}`;
    if (seen.has(where)) continue;
    seen.add(where);
    const holder = await engine.store.lockHolder(d.service, d.environment);
    if (holder?.kind === 'rollback')
      lines.push(`🔒 ${await describeLockHolder(engine.store, d, holder, now, engine.incidents)}`);
  }
  return lines.length > 0 ? `\n${lines.join('\n')}` : '';
}
