/** `/deploy plan <service>` */
import * as z from 'zod';
import { buildPlan, renderPlan, unknownService } from '../core/index.ts';
import { type Command, privately } from './command.ts';
import { parseArgs, Word } from './parse-words.ts';

const usage = '/deploy plan <service>';
const Args = z.tuple([Word]);

export const deployPlan = {
  name: 'deploy plan',
  usage,
  summary: 'the dry run: checklist, gates, timed steps and who is paged when, for a start now',
  parse: (words) => parseArgs(Args, words, usage),
  async run(ctx, [service]) {
    const { engine } = ctx.services;
    const loaded = engine.runbooks.current(service);
    if (!loaded) throw unknownService(service, engine.runbooks.services());
    return privately(renderPlan(buildPlan(loaded.runbook, { start: engine.clock.now() })).join('\n'));
  },
} satisfies Command<z.output<typeof Args>>;
