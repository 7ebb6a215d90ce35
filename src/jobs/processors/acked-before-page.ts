/**
 * Before a page: an acknowledgement made by reaction that no process heard (the bot was down, or its connection,
 * when the page came due) is read back from the platform, and counts, so the next level is not paged for an
 * incident already answered. The reactions are read where the incident began, through its chat port, once that
 * adapter is up in this process; a process that serves no chat (a worker) pages as before.
 */
import {
  ACK_EMOJI,
  ackers,
  applyPersonIncidentAction,
  type Caller,
  type Incident,
  identifyCaller,
  incidentPrompts,
} from '../../core/index.ts';
import type { ProcessorDeps } from './processor-deps.ts';

/** Direct messages of this many latest pages are read (an answer on an older one was heard, or read back on reconnect). */
const DM_PAGES = 3;

/** The longest a read-back holds a page up (a platform answering 429 or not at all must not stop paging). */
const READ_MS = 5_000;

/** The same read-back failure is said again after this long at most: a missing scope lasts until someone fixes it. */
const SAY_AGAIN_MS = 60 * 60_000;

/** When each read-back failure (platform and reason) was last said, per process (its chat adapters). */
const lastSaid = new WeakMap<object, Map<string, number>>();

/** Whether `reason` on `platform` was not said within SAY_AGAIN_MS, and notes it as said now. */
function sayNow(chat: object, platform: string, reason: string): boolean {
  const said = lastSaid.get(chat) ?? new Map<string, number>();
  lastSaid.set(chat, said);
  const key = `${platform}\n${reason}`;
  const at = said.get(key);
  if (at !== undefined && Date.now() - at < SAY_AGAIN_MS) return false;
  said.set(key, Date.now());
  return true;
}

function bounded<T>(work: Promise<T>): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const late = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`no answer within ${READ_MS} ms`)), READ_MS);
  });
  return Promise.race([work, late]).finally(() => clearTimeout(timer));
}

/** True when a reaction read back now acknowledged the incident (paging stops: its page is stale). */
export async function ackedBeforePage(deps: ProcessorDeps, incident: Incident): Promise<boolean> {
  const port = await deps.chat?.port(incident.origin);
  if (!port?.reactions || !deps.chat) return false;
  const runbook = await deps.engine.runbooks.pinned(incident.runbookDigest);
  const may = new Set(ackers(runbook, incident));
  for (const prompt of incidentPrompts(incident, DM_PAGES)) {
    const ref = await deps.chat.index.find(incident.id, prompt.key);
    if (ref?.platform !== incident.origin) continue;
    let found: readonly { readonly emoji: string; readonly userId: string }[];
    try {
      found = await bounded(
        port.reactions(
          ref,
          prompt.emoji.filter((e) => ACK_EMOJI.includes(e)),
        ),
      );
    } catch (error) {
      const reason = (error as Error).message;
      const log = sayNow(deps.chat, incident.origin, reason) ? deps.log.warn : deps.log.debug;
      log.call(
        deps.log,
        { incident: incident.id, err: reason },
        'could not read back acknowledgements before a page; paging',
      );
      return false;
    }
    for (const { userId } of found) {
      const caller: Caller = { platform: incident.origin, userId, via: 'reaction' };
      const person = identifyCaller(runbook, caller);
      // Only an acknowledgement that counts is applied: anyone else's 👀 is no answer, and is not refused again here.
      if (typeof person !== 'string' || !may.has(person)) continue;
      const outcome = await applyPersonIncidentAction(deps.engine, caller, incident.id, {
        type: 'incident.ack',
      });
      if (outcome.ok) return true;
    }
  }
  return false;
}
