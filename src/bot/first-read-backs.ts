/**
 * The first read-back pass of each chat platform a process connects to (catch-up-reactions.ts), as a page due at
 * start sees it: the bot was down, an escalation level came due meanwhile, and the person paged before may have
 * answered with 👀 while nobody listened. That page waits until every platform's first pass has ended (read,
 * refused, or failed), so the acknowledgement it finds is applied before the next level is paged; never longer than
 * the bound from start, so a platform that cannot be read never keeps the bot silent. What it waited for is logged.
 */
import type { Platform } from '../core/index.ts';

/** How a platform's first pass ended. */
export type ReadBackOutcome = 'read' | 'refused' | 'failed';

/** What a page due now still waits for. */
export interface ReadBackWait {
  /** Platforms whose first pass has not ended yet (empty once all have). */
  readonly platforms: readonly Platform[];
  /** When the last first pass ended: what it recorded by then is still to be applied before the page. */
  readonly endedAt?: number;
}

/** This process's first passes as other processes see them (shared through Redis by the caller). */
export interface ReadBackState {
  /** Platforms whose first pass has not ended yet. */
  readonly platforms: readonly Platform[];
  /** When the last first pass ended, once all have. */
  readonly endedAt?: number;
  /** Past this (ms since the epoch), nothing is waited for. */
  readonly until: number;
}

export interface FirstReadBacks {
  /** A platform's first read-back pass has ended (later passes are not counted). */
  done(platform: Platform, outcome: ReadBackOutcome): void;
  /** What a page due now waits for, or undefined: nothing to wait for, or past the bound from start. */
  awaited(): ReadBackWait | undefined;
  /** Nothing is waited for any longer (the process stops, or works its due timers before it does). */
  giveUp(): void;
}

interface ReadBackLog {
  info(obj: object, msg?: string): void;
  warn(obj: object, msg?: string): void;
}

/** Tracks the first passes of `platforms` for `boundMs` from now. */
export function createFirstReadBacks(options: {
  readonly platforms: readonly Platform[];
  readonly boundMs: number;
  readonly log: ReadBackLog;
  /** Told what is waited for at start and as each first pass ends; undefined once nothing is waited for any longer. */
  readonly share?: (state: ReadBackState | undefined) => void;
}): FirstReadBacks {
  const until = Date.now() + options.boundMs;
  const ended = new Map<Platform, ReadBackOutcome>();
  let endedAt: number | undefined;
  let over = options.platforms.length === 0;
  let saidWaiting = false;
  const pending = () => options.platforms.filter((p) => !ended.has(p));
  const share = () => {
    const left = pending();
    options.share?.(
      over
        ? undefined
        : { platforms: left, ...(left.length === 0 && endedAt !== undefined && { endedAt }), until },
    );
  };
  if (!over) share();
  return {
    done(platform, outcome) {
      if (ended.has(platform) || !options.platforms.includes(platform)) return;
      ended.set(platform, outcome);
      endedAt = Date.now();
      share();
      if (saidWaiting && !over)
        options.log.info({ platform, outcome }, 'first read-back ended; the pages due at start go on');
    },
    awaited() {
      if (over) return undefined;
      const left = pending();
      if (Date.now() >= until) {
        over = true;
        if (left.length > 0)
          options.log.warn(
            { platforms: left, waitedMs: options.boundMs },
            'first read-back not ended in time; the pages due at start go out without it',
          );
        return undefined;
      }
      if (left.length > 0 && !saidWaiting) {
        saidWaiting = true;
        options.log.info(
          { platforms: left },
          'a page due at start waits for the first read-back of reactions',
        );
      }
      return { platforms: left, ...(left.length === 0 && endedAt !== undefined && { endedAt }) };
    },
    giveUp() {
      if (over) return;
      over = true;
      share();
    },
  };
}
