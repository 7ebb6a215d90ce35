/** `/ack [<incident>]` */
import * as z from 'zod';
import { applyPersonIncidentAction, linkThread } from '../core/index.ts';
import { type Command, callerOf, privately } from './command.ts';
import { findIncident } from './incident.ts';
import { parseArgs, Word } from './parse-words.ts';

const usage = '/ack [<incident>]';
const Args = z.tuple([Word.optional()]);

export const ack = {
  name: 'ack',
  usage,
  summary: 'acknowledge an incident: you are on it, paging stops',
  parse: (words) => parseArgs(Args, words, usage),
  async run(ctx, [id]) {
    const incident = await findIncident(ctx, id, '/ack <incident>');
    const runbook = await ctx.services.engine.runbooks.pinned(incident.runbookDigest);
    const outcome = await applyPersonIncidentAction(ctx.services.engine, callerOf(ctx), incident.id, {
      type: 'incident.ack',
    });
    if (!outcome.ok) throw outcome.error;
    const person = outcome.incident.ack?.by ?? ctx.userId;
    return privately(
      `👀 ${incident.id} acknowledged by ${runbook.people[person]?.name ?? person}; paging stopped (said so in its thread in ${linkThread(runbook.channels.incident, incident.id, 'incident')}).`,
    );
  },
} satisfies Command<z.output<typeof Args>>;
