/** `/oncall [<service>]`, or a deployment's: who its incidents page (its pinned runbook's escalation). */
import * as z from 'zod';
import { describePeople, formatDuration, linkChannel } from '../core/index.ts';
import { type Command, privately } from './command.ts';
import { parseArgs, Word } from './parse-words.ts';
import { type ServiceNamed, serviceOrDeployment } from './service-or-deployment.ts';

const usage = '/oncall [<service>|<deployment>]';
const Args = z.tuple([Word.optional()]);

export const oncall = {
  name: 'oncall',
  usage,
  summary: 'who is paged, in what order, for a service (or a deployment)',
  parse: (words) => parseArgs(Args, words, usage),
  async run(ctx, [named]) {
    const { runbooks } = ctx.services.engine;
    const chosen: ServiceNamed[] =
      named !== undefined
        ? [await serviceOrDeployment(ctx, named, '/oncall <deployment>')]
        : runbooks.services().flatMap((s) => {
            const loaded = runbooks.current(s);
            return loaded ? [{ runbook: loaded.runbook }] : [];
          });
    const blocks = chosen.map(({ runbook, deployment }) => {
      const levels = runbook.escalation.levels.map(
        (l) =>
          `  ${l.id}${l.title ? ` ${l.title}` : ''}: ${describePeople(runbook, l.notify)} (${(l.via ?? ['mention']).join(', ')}; answers within ${formatDuration(l.respond_within)})`,
      );
      const repeat =
        runbook.escalation.repeat_last_every !== undefined
          ? `  then the last level again every ${formatDuration(runbook.escalation.repeat_last_every)}`
          : '';
      const what = deployment
        ? `${deployment.id} (${deployment.service} ${deployment.environment})`
        : runbook.service;
      return [`${what}: incidents go to ${linkChannel(runbook.channels.incident)}`, ...levels, repeat]
        .filter(Boolean)
        .join('\n');
    });
    return privately(blocks.join('\n\n'));
  },
} satisfies Command<z.output<typeof Args>>;
