/** `/deploy start <service> <version> [<environment>]` */
import * as z from 'zod';
import { linkThread, startDeployment, unknownService } from '../core/index.ts';
import { type Command, callerOf, privately } from './command.ts';
import { parseArgs, VersionWord, Word } from './parse-words.ts';
import { deploymentThreadRefused } from './refused-thread.ts';

const usage = '/deploy start <service> <version> [<environment>]';
const Args = z.tuple([Word, VersionWord, Word.optional()]);

export const deployStart = {
  name: 'deploy start',
  usage,
  summary: 'start a deployment: checklist, approvals, then the steps at their times',
  parse: (words) => parseArgs(Args, words, usage),
  async run(ctx, [service, version, environment]) {
    const { engine } = ctx.services;
    const loaded = engine.runbooks.current(service);
    if (!loaded) throw unknownService(service, engine.runbooks.services());
    const outcome = await startDeployment(engine, {
      service,
      version,
      caller: callerOf(ctx),
      ...(environment !== undefined && { environment }),
    });
    if (!outcome.ok) throw outcome.error;
    const d = outcome.deployment;
    const starting = `Starting ${d.id}: ${d.service} ${d.version} → ${d.environment}.`;
    return {
      ...privately(`${starting} Follow it in ${linkThread(loaded.runbook.channels.deploy, d.id, 'status')}.`),
      refused: deploymentThreadRefused(starting, d, loaded.runbook),
    };
  },
} satisfies Command<z.output<typeof Args>>;
