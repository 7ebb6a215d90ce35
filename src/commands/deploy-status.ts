/** `/deploy status [<id>]` */
import * as z from 'zod';
import { summarizeDeployment, summarizeLine, UserError } from '../core/index.ts';
import { type Command, privately } from './command.ts';
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
    const found = await findDeployment(ctx, id);
    if (found instanceof UserError) {
      if (id !== undefined || found.message.includes('deployments are active')) throw found;
      const recent = await engine.store.list({ limit: 5 });
      if (recent.length === 0)
        return privately('No deployments yet. Start one with /deploy start <service> <version>.');
      return privately(
        `No deployment is active. Recent:\n${recent.map((d) => summarizeLine(d, now)).join('\n')}`,
      );
    }
    return privately(summarizeDeployment(found.deployment, found.runbook, now));
  },
} satisfies Command<z.output<typeof Args>>;
