/**
 * What a page due at start (the bot was down when it came due) waits for in this process: the adapters it connects
 * to whose port reads reactions back to be up, then their first read-back of reactions (bot/first-read-backs.ts).
 * Never past START_WAIT_MS from start (even if one never comes up), nor once the process stops or works its due
 * timers before it does.
 */
import { setTimeout as sleep } from 'node:timers/promises';
import { createFirstReadBacks, type FirstReadBacks, type ReadBackState } from './bot/first-read-backs.ts';
import type { ChatPort, Platform } from './core/index.ts';

/** How long after start a page waits for the chat platforms this process connects to (it exits if one fails). */
const START_WAIT_MS = 30_000;

export interface StartWaits {
  readonly readBacks: FirstReadBacks;
  /** The platform's port, once its adapter is up (waited for while the start-up lasts, if it reads back). */
  port(platform: Platform): Promise<ChatPort | undefined>;
  /** Nothing is waited for any longer. */
  giveUp(): void;
}

export function createStartWaits(options: {
  readonly platforms: readonly Platform[];
  readonly ports: Partial<Record<Platform, ChatPort>>;
  readonly log: { info(obj: object, msg?: string): void; warn(obj: object, msg?: string): void };
  /** Where the first read-backs are shared with the other processes (a worker's pages wait for them too). */
  readonly share?: (state: ReadBackState | undefined) => void;
}): StartWaits {
  const { platforms, ports } = options;
  const until = Date.now() + START_WAIT_MS;
  let over = false;
  const readBacks = createFirstReadBacks({
    platforms,
    boundMs: START_WAIT_MS,
    log: options.log,
    ...(options.share && { share: options.share }),
  });
  return {
    readBacks,
    async port(platform) {
      while (!ports[platform] && !over && platforms.includes(platform) && Date.now() < until)
        await sleep(100);
      return ports[platform];
    },
    giveUp() {
      over = true;
      readBacks.giveUp();
    },
  };
}
