/** `/oncall [<service>]` */
import * as z from 'zod';
import { describePeople, formatDuration, linkChannel, unknownService } from '../core/index.ts';
import { type Command, privately } from './command.ts';
import { parseArgs, Word } from './parse-words.ts';

const usage = '/oncall [<service>]';
const Args = z.tuple([Word.optional()]);

export const oncall = {
  name: 'oncall',
  usage,
  summary: 'who is paged, in what order, for a service',
  parse: (words) => parseArgs(Args, words, usage),
  async run(ctx, [service]) {
    const { runbooks } = ctx.services.engine;
    const services = service !== undefined ? [service] : runbooks.services();
    const blocks = services.map((name) => {
      const loaded = runbooks.current(name);
      if (!loaded) throw unknownService(name, runbooks.services());
      const { runbook } = loaded;
      const levels = runbook.escalation.levels.map(
        (l) =>
          `  ${l.id}${l.title ? ` ${l.title}` : ''}: ${describePeople(runbook, l.notify)} (${(l.via ?? ['mention']).join(', ')}; answers within ${formatDuration(l.respond_within)})`,
      );
      const repeat =
        runbook.escalation.repeat_last_every !== undefined
          ? `  then the last level again every ${formatDuration(runbook.escalation.repeat_last_every)}`
          : '';
      return [
        `${runbook.service}: incidents go to ${linkChannel(runbook.channels.incident)}`,
        ...levels,
        repeat,
      ]
        .filter(Boolean)
        .join('\n');
    });
    return privately(blocks.join('\n\n'));
  },
} satisfies Command<z.output<typeof Args>>;
