/** `/deploy status [<id>]` */
import * as z from 'zod';
import { isFinal, summarizeDeployment, summarizeLine, UserError } from '../core/index.ts';
import { type Command, privately } from './command.ts';
import { findDeployment } from './find-deployment.ts';
import { afterLines, lockLines } from './lock-notes.ts';
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
      // A service named where a deployment is meant: what holds it off is part of the answer.
      const service = id === undefined ? undefined : engine.runbooks.current(id)?.runbook.service;
      if (service !== undefined) {
        const held = afterLines(await lockLines(ctx, now, { service }));
        throw held === '' ? found : new UserError(found.code, `${found.message}${held}`);
      }
      // Named, or typed in a thread: that one is meant, not the list of recent ones.
      if (
        id !== undefined ||
        ctx.threadDeployment !== undefined ||
        found.message.includes('deployments are active')
      )
        throw found;
      const recent = await engine.store.list({ limit: 5 });
      const held = afterLines(await lockLines(ctx, now));
      if (recent.length === 0)
        return privately(`No deployments yet. Start one with /deploy start <service> <version>.${held}`);
      return privately(
        `No deployment is active. Recent:\n${recent.map((d) => summarizeLine(d, now)).join('\n')}${held}`,
      );
    }
    const d = found.deployment;
    const lock = afterLines(await lockLines(ctx, now, { service: d.service }));
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
