/** `/rollback [<id>]` */
import * as z from 'zod';
import { applyPersonAction, countOf, linkThread, rollbackApproval, UserError } from '../core/index.ts';
import { type Command, callerOf, privately, publicly } from './command.ts';
import { findDeployment, followedElsewhere } from './find-deployment.ts';
import { parseArgs, Word } from './parse-words.ts';

const usage = '/rollback [<id>]';
const Args = z.tuple([Word.optional()]);

export const rollback = {
  name: 'rollback',
  usage,
  summary: "run the runbook's rollback plan for a deployment",
  parse: (words) => parseArgs(Args, words, usage),
  async run(ctx, [id]) {
    const found = await findDeployment(ctx, id ?? (await latestDeployment(ctx)), '/rollback <deployment>');
    if (found instanceof UserError) throw found;
    const d = found.deployment;
    const outcome = await applyPersonAction(ctx.services.engine, callerOf(ctx), d.id, {
      type: 'rollback.request',
      reason: 'typed `/rollback`',
    });
    if (!outcome.ok) throw outcome.error;
    const started = outcome.deployment.rollback?.started === true;
    // While a rollback waits for approval, /rollback was this person's approval of it (core decides: rollback.ts).
    const waited = d.state === 'rolling_back' && d.rollback?.started === false;
    if (waited && !started && outcome.reply !== undefined) return privately(`${d.id}: ${outcome.reply}.`);
    const missing = Math.max(
      1,
      rollbackApproval(found.runbook).required - (outcome.deployment.rollback?.approvals.length ?? 0),
    );
    const text = started
      ? `${d.id}: rolling back ${d.service}${d.previousVersion ? ` to ${d.previousVersion}` : ''}.`
      : `${d.id}: rollback asked; it needs ${countOf(missing, 'more approval', 'more approvals')} (see its thread in ${linkThread(found.runbook.channels.deploy, d.id, 'status')}).`;
    // About an incident, the core says it in the incident's thread, where the people paged are (whichever way the
    // rollback was asked: note-incident); the person is told where.
    const incident = await ctx.services.engine.incidents.openFor(d.id);
    if (!incident) return publicly(text);
    return privately(
      `${text} (said so in the ${incident.id} thread in ${linkThread(found.runbook.channels.incident, incident.id, 'incident')})`,
    );
  },
} satisfies Command<z.output<typeof Args>>;

/**
 * Without an id and outside a thread, /rollback means the active deployment (findDeployment picks the only one, or
 * asks which when several are); only when none is active, the most recent one (a deployment that just failed).
 * Both are looked for among the deployments followed in the channel it was typed in.
 */
async function latestDeployment(ctx: Parameters<typeof rollback.run>[0]): Promise<string | undefined> {
  if (ctx.threadDeployment !== undefined) return ctx.threadDeployment;
  const { store } = ctx.services.engine;
  for (const d of await store.list({ activeOnly: true, limit: 20 }))
    if (!(await followedElsewhere(ctx, d))) return undefined;
  for (const d of await store.list({ limit: 20 })) if (!(await followedElsewhere(ctx, d))) return d.id;
  return undefined;
}
