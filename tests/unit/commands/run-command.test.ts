import { describe, expect, it } from 'vitest';
import type { CommandContext } from '../../../src/commands/command.ts';
import { runCommand } from '../../../src/commands/run-command.ts';

describe('a command that hits a bug', () => {
  it('shows the user a reference, logs the stack under the same reference and counts an error', async () => {
    const logged: { obj: Record<string, unknown>; msg?: string }[] = [];
    const broken = new Error('redis exploded');
    const ctx = {
      platform: 'console',
      userId: 'ann',
      channel: '#deploy',
      services: {
        engine: {
          store: { list: async () => Promise.reject(broken), get: async () => undefined },
          runbooks: { services: () => [], current: () => undefined },
        },
        notifier: {},
      },
    } as unknown as CommandContext;
    const counted: string[] = [];
    const reply = await runCommand(
      ctx,
      '/deploy history',
      {
        error: (obj, msg) =>
          logged.push({ obj: obj as Record<string, unknown>, ...(msg !== undefined && { msg }) }),
      },
      { commandHandled: (command, outcome) => counted.push(`${command} ${outcome}`) },
    );
    const reference = /\(reference ([0-9a-f]{8})\)/.exec(reply.text)?.[1];
    expect(reply).toEqual({
      visibility: 'ephemeral',
      text: `💥 Something went wrong on Preflight's side (reference ${reference}). The operators can find it in the logs; check /deploy status before trying again.`,
    });
    expect(logged).toEqual([
      { obj: { err: broken, reference, command: 'deploy history', user: 'ann' }, msg: 'command failed' },
    ]);
    expect(counted).toEqual(['deploy history error']);
  });
});
