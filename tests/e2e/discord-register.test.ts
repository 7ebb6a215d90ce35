/**
 * `preflight discord register` as users run it (the real bin in a real process) against the fake Discord REST
 * API: one bulk overwrite of the slash commands, in the guild or globally, and clear one-line refusals.
 */
import { spawn } from 'node:child_process';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { APPLICATION_ID, type FakeDiscord, GUILD_ID, startFakeDiscord } from '../helpers/fake-discord.ts';
import { refusedUrl } from '../helpers/fake-monitoring.ts';
import { repoRoot } from '../helpers/load-runbook.ts';

const node = join(repoRoot, 'node_modules/.bin/node');

let fake: FakeDiscord;
beforeAll(async () => {
  fake = await startFakeDiscord();
});
afterAll(async () => {
  await fake?.close();
});

function register(
  env: Record<string, string>,
): Promise<{ status: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(node, ['bin/preflight.js', 'discord', 'register'], {
      cwd: repoRoot,
      env: {
        ...process.env,
        DISCORD_TOKEN: '',
        DISCORD_APPLICATION_ID: '',
        DISCORD_GUILD_ID: '',
        DISCORD_API_URL: '',
        ...env,
      },
      timeout: 30_000,
    });
    let stdout = '';
    let stderr = '';
    child.stdout.setEncoding('utf8').on('data', (c: string) => (stdout += c));
    child.stderr.setEncoding('utf8').on('data', (c: string) => (stderr += c));
    child.on('error', reject);
    child.on('close', (status) => resolve({ status, stdout, stderr }));
  });
}

const env = () => ({
  DISCORD_TOKEN: fake.token,
  DISCORD_APPLICATION_ID: APPLICATION_ID,
  DISCORD_API_URL: fake.apiUrl,
});

describe('preflight discord register', () => {
  it('bulk-overwrites the guild commands: /deploy with its subcommands, /rollback, /ack, /incident, /oncall', async () => {
    const first = await register({ ...env(), DISCORD_GUILD_ID: GUILD_ID });
    expect(first.stderr).toBe('');
    expect(first.status).toBe(0);
    expect(first.stdout).toBe(
      `registered 5 slash commands in guild ${GUILD_ID}: /deploy, /rollback, /ack, /incident, /oncall\n`,
    );
    const again = await register({ ...env(), DISCORD_GUILD_ID: GUILD_ID });
    expect(again.status).toBe(0);

    const puts = fake.world.calls.filter((c) => c.method === 'PUT');
    expect(puts.map((c) => c.path)).toEqual([
      `/applications/${APPLICATION_ID}/guilds/${GUILD_ID}/commands`,
      `/applications/${APPLICATION_ID}/guilds/${GUILD_ID}/commands`,
    ]);
    expect(puts.every((c) => c.authorized)).toBe(true);
    // A bulk overwrite: the second run replaced the set instead of adding to it.
    const commands = fake.world.commands.get(`guild:${GUILD_ID}`) as {
      name: string;
      options?: {
        name: string;
        type: number;
        options?: { name: string; required?: boolean; autocomplete?: boolean }[];
      }[];
    }[];
    expect(commands.map((c) => c.name)).toEqual(['deploy', 'rollback', 'ack', 'incident', 'oncall']);
    const deploy = commands.find((c) => c.name === 'deploy');
    expect(deploy?.options?.map((o) => o.name)).toEqual([
      'start',
      'status',
      'plan',
      'abort',
      'pause',
      'resume',
      'decide',
      'history',
      'lock',
      'unlock',
      'help',
    ]);
    const start = deploy?.options?.find((o) => o.name === 'start');
    expect(start?.type).toBe(1);
    expect(start?.options).toEqual([
      expect.objectContaining({ name: 'service', required: true, autocomplete: true }),
      expect.objectContaining({ name: 'version', required: true }),
      expect.objectContaining({ name: 'environment', required: false, autocomplete: true }),
    ]);
  });

  it('registers global commands when no guild is named, and says they take a while to appear', async () => {
    const run = await register(env());
    expect(run.status).toBe(0);
    expect(run.stdout).toContain(
      'registered 5 global slash commands: /deploy, /rollback, /ack, /incident, /oncall',
    );
    expect(fake.world.calls.at(-1)?.path).toBe(`/applications/${APPLICATION_ID}/commands`);
  });

  it('refuses, in one line naming the variable, an application id that is not a snowflake', async () => {
    const run = await register({ ...env(), DISCORD_APPLICATION_ID: '12345' });
    expect(run.status).toBe(2);
    expect(run.stderr).toBe(
      'preflight: DISCORD_APPLICATION_ID must be the application id: a snowflake of 17–20 digits (Developer Portal → General Information) (got "12345")\n',
    );
  });

  it('exits 1, as preflight start does, with what to check when Discord is out of reach', async () => {
    const apiUrl = await refusedUrl();
    const run = await register({ ...env(), DISCORD_API_URL: apiUrl });
    expect(run.stderr).toMatch(
      new RegExp(
        `^preflight: could not reach the Discord API at ${apiUrl} \\(DISCORD_API_URL\\): connect ECONNREFUSED [^\\n]*; check that DISCORD_API_URL is right and answers \\(or unset it to use Discord's own\\), then try again\\n$`,
      ),
    );
    expect(run.status).toBe(1);
  });

  it('says DISCORD_API_URL answers as something other than Discord, not a JavaScript error', async () => {
    const other = createServer((_req, res) =>
      res.writeHead(200, { 'content-type': 'text/html' }).end('<html>'),
    );
    await new Promise<void>((resolve) => other.listen(0, '127.0.0.1', resolve));
    try {
      const apiUrl = `http://127.0.0.1:${(other.address() as AddressInfo).port}`;
      const run = await register({ ...env(), DISCORD_API_URL: apiUrl });
      expect(run.stderr).toBe(
        `preflight: the Discord API at ${apiUrl} (DISCORD_API_URL) did not answer as Discord does (no list of commands came back): check that DISCORD_API_URL is right (or unset it to use Discord's own), then try again\n`,
      );
      expect(run.status).toBe(1);
    } finally {
      await new Promise<void>((resolve) => other.close(() => resolve()));
    }
  });

  it('says what to set when Discord is not configured', async () => {
    const run = await register({});
    expect(run.status).toBe(2);
    expect(run.stderr).toBe(
      'preflight: DISCORD_TOKEN and DISCORD_APPLICATION_ID must be set to register the slash commands (see README "Connect to Discord")\n',
    );
  });
});
