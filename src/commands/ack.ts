/** `/ack [<incident>]` */
import * as z from 'zod';
import { applyIncidentEvent, UserError } from '../core/index.ts';
import { type Command, privately } from './command.ts';
import { identify } from './identify.ts';
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
    const incident = await findIncident(ctx, id);
    const runbook = await ctx.services.engine.runbooks.pinned(incident.runbookDigest);
    const person = identify(runbook, ctx);
    if (person instanceof UserError) throw person;
    const outcome = await applyIncidentEvent(ctx.services.engine, incident.id, {
      type: 'incident.ack',
      by: person,
    });
    if (!outcome.ok) throw outcome.error;
    return privately(
      `👀 ${incident.id} acknowledged by ${runbook.people[person]?.name ?? person}; paging stopped (said so in its thread in ${runbook.channels.incident}).`,
    );
  },
} satisfies Command<z.output<typeof Args>>;
