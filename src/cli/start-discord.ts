/**
 * Starts the Discord adapter for `preflight start`: logs in on the gateway, resolves the runbooks' channels and
 * registers the Discord chat port. Slash commands are registered separately (`preflight discord register`).
 */
import { createDiscordApp } from '../bot/discord/discord-app.ts';
import { openPrompts } from '../bot/open-prompts.ts';
import type { Config } from '../config/config.ts';
import { StartupError } from '../infra/startup-error.ts';
import type { Preflight } from '../main.ts';

/** Starts Discord when it is configured; resolves with the function that stops it. */
export async function startDiscord(
  preflight: Preflight,
  config: Pick<Config, 'discord'>,
  /** Told when the gateway connection is lost for good: the bot should stop (and be restarted) rather than run deaf. */
  onFatal?: (message: string) => void,
): Promise<() => Promise<void>> {
  const discord = config.discord;
  if (!discord) return async () => {};
  const log = preflight.logger.child({ chat: 'discord' });
  const { runbooks } = preflight.engine;
  const app = createDiscordApp({
    ...discord,
    dispatcher: preflight.chat.dispatcher,
    inbox: preflight.chat.inbox,
    noticeLimit: preflight.chat.noticeLimit,
    log,
    redactor: preflight.redactor,
    ...(onFatal && { onFatal }),
    prompts: () =>
      openPrompts(
        {
          store: preflight.engine.store,
          incidents: preflight.engine.incidents,
          index: preflight.chat.index,
          runbooks: preflight.engine.runbooks,
        },
        'discord',
      ),
    onFirstReadBack: (outcome) => preflight.chat.readBacks.done('discord', outcome),
    suggest: (what, service) => {
      if (what === 'service') return runbooks.services();
      const services = service !== undefined && runbooks.current(service) ? [service] : runbooks.services();
      const names = services.flatMap((s) => Object.keys(runbooks.current(s)?.runbook.environments ?? {}));
      return [...new Set(names)];
    },
  });
  try {
    await app.start();
  } catch (error) {
    // Slack or Discord out of reach or refusing: the world outside, as a Redis that refuses (exit 1).
    throw new StartupError((error as Error).message);
  }
  const channels = runbooks
    .services()
    .flatMap((service) => Object.values(runbooks.current(service)?.runbook.channels ?? {}));
  await app.prepareChannels(channels.filter((c): c is string => typeof c === 'string'));
  preflight.chat.ports.discord = app.port;
  preflight.chat.links.discord = app.link;
  preflight.chat.inbox.serve('discord', app.handle);
  log.info({ guild: discord.guildId ?? 'all' }, 'Discord connected');
  return async () => {
    delete preflight.chat.ports.discord;
    delete preflight.chat.links.discord;
    await app.stop();
  };
}
