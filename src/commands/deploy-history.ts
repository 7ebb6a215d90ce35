/** `/deploy history [<service>]`, or a deployment's: the last ones of its service and environment. */
import * as z from 'zod';
import { summarizeLine } from '../core/index.ts';
import { type Command, privately } from './command.ts';
import { parseArgs, Word } from './parse-words.ts';
import { serviceOrDeployment } from './service-or-deployment.ts';

const usage = '/deploy history [<service>|<deployment>]';
const Args = z.tuple([Word.optional()]);
const SHOWN = 10;

export const deployHistory = {
  name: 'deploy history',
  usage,
  summary: 'the last deployments, newest first (a deployment named: of its service and environment)',
  parse: (words) => parseArgs(Args, words, usage),
  async run(ctx, [named]) {
    const { engine } = ctx.services;
    const found =
      named !== undefined ? await serviceOrDeployment(ctx, named, '/deploy history <deployment>') : undefined;
    const service = found?.runbook.service;
    const environment = found?.deployment?.environment;
    const list = (
      await engine.store.list({
        limit: environment === undefined ? SHOWN : 5 * SHOWN,
        ...(service !== undefined && { service }),
      })
    )
      .filter((d) => environment === undefined || d.environment === environment)
      .slice(0, SHOWN);
    if (list.length === 0) return privately(`No deployments${service ? ` of ${service}` : ''} yet.`);
    const now = engine.clock.now();
    const heading = environment !== undefined ? `${service} ${environment}:\n` : '';
    return privately(heading + list.map((d) => summarizeLine(d, now)).join('\n'));
  },
} satisfies Command<z.output<typeof Args>>;
