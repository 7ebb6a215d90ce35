/** `/deploy lock <service> <environment> [reason]` and `/deploy unlock <service> <environment>` */
import * as z from 'zod';
import {
  type AuditEntry,
  authorizeLockChange,
  DURATION_MAX_MS,
  formatDuration,
  type LockHolder,
  literal,
  lockReason,
  lockRefusedByDeployment,
  parseDuration,
  UserError,
} from '../core/index.ts';
import { type Command, type CommandContext, callerOf, publicly } from './command.ts';
import { durationUntil, type EndTimeTyped, endTimeFirst } from './lock-end-time.ts';
import {
  END_OF_OPTIONS,
  foldKeyword,
  joinText,
  parseArgs,
  quoteWord,
  TextWord,
  takeValueOption,
  Word,
} from './parse-words.ts';

const LOCK_FOR_MS = 4 * 3_600_000;
const lockUsage = '/deploy lock <service> <environment> [reason] [--for=2h]';
const unlockUsage = '/deploy unlock <service> <environment> [reason] (a reason is needed after a rollback)';
const LockArgs = z.tuple([Word, Word], TextWord);
const UnlockArgs = z.tuple([Word, Word], TextWord);

/**
 * A reason that opens with how long (`2h`, `for 90m`): the lock's duration typed without --for=, which would
 * otherwise lock for the default time with "2h" as its reason.
 */
function durationFirst(words: readonly string[]) {
  const [first = '', second = '', ...rest] = words;
  if (parseDuration(first) !== undefined)
    return { typed: first, duration: first, rest: [second, ...rest].filter(Boolean) };
  if (foldKeyword(first) === 'for' && parseDuration(second) !== undefined)
    return { typed: `${first} ${second}`, duration: second, rest };
  return undefined;
}

/** True when this chat request already took or released this lock (it is being handled again). */
async function changedByThisRequest(ctx: CommandContext, service: string, environment: string) {
  return (
    ctx.request !== undefined &&
    (await ctx.services.engine.store.lockChangedBy(ctx.request, service, environment))
  );
}

/** Who may lock is decided in the core (`permissions.lock`); a refusal is audited there. */
async function target(
  ctx: CommandContext,
  service: string,
  environment: string,
  what: 'lock' | 'unlock',
  typed: string,
) {
  const allowed = await authorizeLockChange(
    ctx.services.engine,
    callerOf(ctx),
    { service, environment },
    what,
    typed,
  );
  if (allowed instanceof UserError) throw allowed;
  return allowed;
}

export const deployLock = {
  name: 'deploy lock',
  usage: lockUsage,
  summary: 'stop deployments of a service and environment for a while, with a reason',
  parse(words) {
    // Only before END_OF_OPTIONS: after it, `--for=…` is part of the reason.
    const taken = takeValueOption(words, { name: 'for', what: 'duration', example: '2h' }, lockUsage);
    if (taken instanceof UserError) return taken;
    const duration = taken.value;
    const forMs = duration === undefined ? LOCK_FOR_MS : parseDuration(duration);
    if (forMs === undefined)
      return new UserError('BAD_COMMAND', `--for takes a duration like 30m or 2h. Usage: ${lockUsage}`);
    if (forMs <= 0)
      return new UserError(
        'BAD_COMMAND',
        `--for must be longer than 0s; found ${quoteWord(duration ?? '')}. Usage: ${lockUsage}`,
      );
    if (forMs > DURATION_MAX_MS)
      return new UserError(
        'BAD_COMMAND',
        `--for may be at most ${formatDuration(DURATION_MAX_MS)}; found ${quoteWord(duration ?? '')}. Usage: ${lockUsage}`,
      );
    const parsed = parseArgs(LockArgs, taken.rest, lockUsage);
    if (parsed instanceof UserError) return parsed;
    const [service, environment, ...reasonWords] = parsed;
    const meant =
      duration === undefined && !taken.rest.includes(END_OF_OPTIONS) && durationFirst(reasonWords);
    if (meant)
      return new UserError(
        'BAD_COMMAND',
        `${quoteWord(meant.typed)} reads as how long the lock holds; type ${['/deploy lock', service, environment, `--for=${meant.duration}`, ...meant.rest].join(' ')}`,
      );
    const reason = joinText(reasonWords, 'reason', lockUsage);
    if (reason instanceof UserError) return reason;
    const until =
      duration === undefined && !taken.rest.includes(END_OF_OPTIONS) ? endTimeFirst(reasonWords) : undefined;
    return { service, environment, reason, forMs, ...(until && { until }) };
  },
  async run(ctx, args) {
    // Kept in the lock and its audit log: the core masks a credential typed into the reason before it is stored.
    const allowed = await target(ctx, args.service, args.environment, 'lock', args.reason);
    const { service, environment: env, person, reason } = allowed;
    const { store, clock } = ctx.services.engine;
    if (args.until) throw endTimeTyped(ctx, service, env, args.until);
    const people = ctx.services.engine.runbooks.current(service)?.runbook.people;
    const name = (id: string) => people?.[id]?.name ?? id;
    const done = `🔒 ${service} ${env} locked by ${name(person)} for ${formatDuration(args.forMs)}${lockReason(reason, (r) => `: ${r}`)}. /deploy unlock ${service} ${env} to release it.`;
    // Handled again after a crash: the lock this request took stands (and may since have been released).
    if (await changedByThisRequest(ctx, service, env)) return publicly(done);
    const now = clock.now();
    const holder = {
      kind: 'manual' as const,
      owner: person,
      reason,
      at: now,
      expiresAt: now + args.forMs,
    };
    const taken = {
      at: now,
      entries: [{ type: 'lock.taken', actor: person, detail: { reason, forMs: args.forMs } }],
    };
    const existing = await store.lockManually(service, env, holder, ctx.request, taken);
    // A second handling of the same request at the same time finds the lock the first one just took.
    if (existing && (await changedByThisRequest(ctx, service, env))) return publicly(done);
    if (existing?.kind === 'deployment')
      throw new UserError(
        'LOCKED',
        await lockRefusedByDeployment(store, { service, environment: env }, existing.id, people),
      );
    if (existing) {
      const who =
        existing.kind === 'manual'
          ? `${name(existing.owner)}${lockReason(existing.reason, (r) => ` (${r})`)}`
          : `the rollback of ${existing.id} (${literal(existing.reason)})`;
      throw new UserError('LOCKED', `${service} ${env} is already locked by ${who}`);
    }
    return publicly(done);
  },
} satisfies Command<{
  service: string;
  environment: string;
  reason: string;
  forMs: number;
  until?: EndTimeTyped;
}>;

/** A lock asked to hold until a time: refused with the `--for=` that ends it then (in the runbook's time zone). */
function endTimeTyped(ctx: CommandContext, service: string, env: string, until: EndTimeTyped): UserError {
  const { runbooks, clock } = ctx.services.engine;
  const zone = runbooks.current(service)?.runbook.timezone ?? 'UTC';
  const retype = (forWhat: string) =>
    ['/deploy lock', service, env, `--for=${forWhat}`, ...until.rest].join(' ');
  const how =
    until.clock !== undefined
      ? `to hold it until ${until.typed.split(' ')[1]} in ${zone} (the runbook's time zone), type ${retype(durationUntil(until.clock, clock.now(), zone))}`
      : `type how long it holds: ${retype('<duration, e.g. 2h>')}`;
  return new UserError(
    'BAD_COMMAND',
    `${quoteWord(until.typed)} reads as when the lock ends, but a lock takes how long it holds; nothing was locked. ${how.charAt(0).toUpperCase()}${how.slice(1)}`,
  );
}

export const deployUnlock = {
  name: 'deploy unlock',
  usage: unlockUsage,
  summary: 'release a manual lock (someone else’s is a forced unlock, recorded in the audit log)',
  parse: (words) => {
    const parsed = parseArgs(UnlockArgs, words, unlockUsage);
    if (parsed instanceof UserError) return parsed;
    const reason = joinText(parsed.slice(2), 'reason', unlockUsage);
    return reason instanceof UserError ? reason : parsed;
  },
  async run(ctx, [named, environment, ...words]) {
    const allowed = await target(ctx, named, environment, 'unlock', words.join(' '));
    const { service, environment: env, person, reason } = allowed;
    const { store, clock } = ctx.services.engine;
    // Handled again after a crash: never release a lock someone took since this request released theirs.
    if (await changedByThisRequest(ctx, service, env)) return publicly(`🔓 ${service} ${env} unlocked.`);
    const holder = await store.lockHolder(service, env);
    if (holder?.kind === 'deployment') {
      throw new UserError(
        'LOCKED',
        `${service} ${env} is held by deployment ${holder.id}, not a manual lock; /deploy abort ${holder.id} to stop it`,
      );
    }
    if (holder?.kind === 'rollback' && reason === '')
      throw new UserError(
        'BAD_COMMAND',
        `${service} ${env} is locked after the rollback of ${holder.id}; say why it is safe to deploy again: /deploy unlock ${service} ${env} <reason>`,
      );
    const now = clock.now();
    const removed = await store.unlockManually(service, env, ctx.request, (gone) => ({
      at: now,
      entries: [unlockRecord(gone, person, reason)],
      ...(gone.kind === 'rollback' && { alsoIn: gone.id }),
    }));
    if (removed === undefined || removed.kind === 'deployment') {
      // A second handling of the same request at the same time finds the lock the first one just released.
      if (await changedByThisRequest(ctx, service, env)) return publicly(`🔓 ${service} ${env} unlocked.`);
      throw new UserError('ALREADY_DONE', `${service} ${env} is not locked`);
    }
    const people = ctx.services.engine.runbooks.current(service)?.runbook.people;
    const name = (id: string) => people?.[id]?.name ?? id;
    if (removed.kind === 'rollback')
      return publicly(
        `🔓 ${service} ${env} unlocked by ${name(person)} after the rollback of ${removed.id}: ${literal(reason)}. Deployments may start again.`,
      );
    const forced = removed.owner !== person;
    return publicly(
      `🔓 ${service} ${env} unlocked${forced ? ` (forced: it was ${name(removed.owner)}'s lock${lockReason(removed.reason, (r) => `, "${r}"`)}; recorded in the audit log)` : ''}.`,
    );
  },
} satisfies Command<z.output<typeof UnlockArgs>>;

/** What an unlock records of the holder it removed. */
function unlockRecord(
  removed: Exclude<LockHolder, { kind: 'deployment' }>,
  person: string,
  reason: string,
): AuditEntry {
  if (removed.kind === 'rollback')
    return {
      type: 'lock.released_after_rollback',
      actor: person,
      detail: { deployment: removed.id, state: removed.state, reason },
    };
  return {
    type: removed.owner !== person ? 'lock.forced_unlock' : 'lock.released',
    actor: person,
    detail: { owner: removed.owner, reason: removed.reason, ...(reason !== '' && { why: reason }) },
  };
}
