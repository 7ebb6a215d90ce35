/** A Discord test file's lifecycle on the sandbox runbook: a test Redis, a sandbox copy, the harness, the teardown. */
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll } from 'vitest';
import { type DiscordHarness, startDiscordHarness } from './discord-harness.ts';
import { DEPLOY_CHANNEL_ID, type FakeDiscord } from './fake-discord.ts';
import { startTestRedis, type TestRedis } from './redis-server.ts';
import { copySandbox, type SandboxCopy } from './sandbox-copy.ts';

/** The sandbox runbook's people by their Discord user ids. */
export const ALICE = '200000000000000001';
export const BOB = '200000000000000002';
export const CAROL = '200000000000000003';
export const DAVE = '200000000000000004';
export const ERIN = '200000000000000005';

/** Registers beforeAll/afterAll; call the returned function inside tests for the harness. */
export function useDiscordSandbox(
  options: {
    onStop?: (h: DiscordHarness) => void;
    /** Rewrites the sandbox runbook's text before the bot reads it. */
    runbook?: (text: string) => string;
    /** Changes the fake Discord before the bot first connects. */
    prepare?: (fake: FakeDiscord) => void;
  } = {},
): () => DiscordHarness {
  let redis: TestRedis | undefined;
  let sandbox: SandboxCopy | undefined;
  let harness: DiscordHarness | undefined;
  beforeAll(async () => {
    redis = await startTestRedis();
    sandbox = await copySandbox();
    const edit = options.runbook;
    if (edit) await writeFile(join(sandbox.dir, 'runbook.yaml'), edit(sandbox.runbookText));
    harness = await startDiscordHarness({
      redisUrl: redis.url,
      runbookPath: join(sandbox.dir, 'runbook.yaml'),
      ...(options.prepare && { prepare: options.prepare }),
    });
  }, 60_000);
  afterAll(async () => {
    if (harness) options.onStop?.(harness);
    await harness?.stop();
    await sandbox?.remove();
    await redis?.stop();
  });
  return () => {
    if (!harness) throw new Error('the Discord harness is read before beforeAll started it');
    return harness;
  };
}

/** A message in thread `thread` whose text includes `text`, once posted (for `h.waitFor`). */
export const inThread = (h: DiscordHarness, thread: string, text: string) => () =>
  h.fake.world.messages.find((m) => m.channel_id === thread && m.content.includes(text));

/**
 * Alice starts toy `version`; its checklist is ticked by its owners; resolves with the thread's gate messages (the
 * Security gate's found by `securityText`, for a runbook that retitles it).
 */
export async function openToyGates(
  h: DiscordHarness,
  version: string,
  securityText = 'Security sign-off** gate',
) {
  h.command(ALICE, 'deploy', 'start', { service: 'toy', version });
  const root = await h.waitFor('the status message', () =>
    h.fake.world.messages.find(
      (m) => m.channel_id === DEPLOY_CHANNEL_ID && m.content.includes(`toy ${version}`),
    ),
  );
  h.react(BOB, await h.waitFor('release notes', inThread(h, root.id, '☐ **Release notes reviewed**')), '✅');
  h.react(DAVE, await h.waitFor('scan', inThread(h, root.id, '☐ **Dependency scan')), '✅');
  h.react(CAROL, await h.waitFor('support', inThread(h, root.id, '☐ **Support knows')), '✅');
  const security = await h.waitFor('security gate', inThread(h, root.id, securityText), 40_000);
  const operations = await h.waitFor('operations gate', inThread(h, root.id, 'Operations sign-off** gate'));
  return { root, security, operations };
}

/** The direct messages Preflight sent `user`. */
export const dmsTo = (h: DiscordHarness, user: string) =>
  h.fake.world.messages.filter((m) => {
    const channel = h.fake.world.channels.get(m.channel_id);
    return channel?.type === 1 && channel.recipient === user;
  });

/** Waits until every reaction and command delivered so far has been handled. */
export const inboxSettled = (h: DiscordHarness) =>
  h.waitFor('the inbox to be empty', async () => (await h.preflight().chat.inbox.pending()) === 0);
