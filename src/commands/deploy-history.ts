/** `/deploy history [<service>]` */
import * as z from 'zod';
import { summarizeLine, unknownService } from '../core/index.ts';
import { type Command, privately } from './command.ts';
import { parseArgs, Word } from './parse-words.ts';

const usage = '/deploy history [<service>]';
const Args = z.tuple([Word.optional()]);

export const deployHistory = {
  name: 'deploy history',
  usage,
  summary: 'the last deployments, newest first',
  parse: (words) => parseArgs(Args, words, usage),
  async run(ctx, [named]) {
    const { engine } = ctx.services;
    const loaded = named !== undefined ? engine.runbooks.current(named) : undefined;
    if (named !== undefined && !loaded) throw unknownService(named, engine.runbooks.services());
    const service = loaded?.runbook.service;
    const list = await engine.store.list({ limit: 10, ...(service !== undefined && { service }) });
    if (list.length === 0) return privately(`No deployments${service ? ` of ${service}` : ''} yet.`);
    const now = engine.clock.now();
    return privately(list.map((d) => summarizeLine(d, now)).join('\n'));
  },
} satisfies Command<z.output<typeof Args>>;
