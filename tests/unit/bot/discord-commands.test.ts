/** Discord's slash commands mirror the chat grammar: every chat command is reachable and typed back the same way. */
import { describe, expect, it } from 'vitest';
import { buildSlashCommands, commandLineOf, SLASH_SPECS } from '../../../src/bot/discord/discord-commands.ts';
import { canonicalDiscordEmoji } from '../../../src/bot/discord/discord-listeners.ts';
import { allCommands, lookupCommand } from '../../../src/commands/registry.ts';
import { commandWords } from '../../../src/commands/run-command.ts';
import { readConfig } from '../../../src/config/config.ts';
import { plainLiterals } from '../../../src/core/index.ts';

describe('Discord slash commands', () => {
  it('cover every chat command, and each invocation reads back as that command', () => {
    expect(SLASH_SPECS.map((s) => s.command).sort()).toEqual(
      allCommands()
        .map((c) => c.name)
        .sort(),
    );
    for (const spec of SLASH_SPECS) {
      const [top = '', sub = null] = spec.command.split(' ');
      const line = commandLineOf(top, sub, new Map()) ?? '';
      expect(lookupCommand(commandWords(line))?.command.name).toBe(spec.command);
    }
  });

  it('type options back in the grammar’s order: flags first, then each text option as one word', () => {
    const values = (o: Record<string, string | boolean>) => new Map(Object.entries(o));
    expect(
      commandLineOf('deploy', 'start', values({ service: 'toy', version: 'v1.3.0', environment: 'staging' })),
    ).toBe('/deploy start -- toy v1.3.0 staging');
    expect(
      commandLineOf('deploy', 'abort', values({ id: 'toy-3', emergency: true, reason: 'db on fire' })),
    ).toBe('/deploy abort --emergency -- toy-3 "db on fire"');
    expect(
      commandLineOf('deploy', 'lock', values({ service: 'toy', environment: 'production', for: '2 h' })),
    ).toBe('/deploy lock --for=2h -- toy production');
    expect(commandLineOf('incident', 'open', values({ what: 'the toy is down', target: 'toy' }))).toBe(
      '/incident open -- toy "" "the toy is down"',
    );
    expect(commandLineOf('rollback', null, values({}))).toBe('/rollback');
    expect(commandLineOf('nope', null, values({}))).toBeUndefined();
  });

  it('never read what is typed into a text option as a flag or as another option', () => {
    const parsed = (top: string, sub: string, o: Record<string, string | boolean>) => {
      const found = lookupCommand(commandWords(commandLineOf(top, sub, new Map(Object.entries(o))) ?? ''));
      return found?.command.parse(found.rest);
    };
    expect(
      parsed('deploy', 'abort', { id: 'toy-1', emergency: false, reason: 'not needed: --emergency stop' }),
    ).toEqual({ id: 'toy-1', reason: 'not needed: --emergency stop', emergency: false });
    expect(
      parsed('deploy', 'lock', {
        service: 'toy',
        environment: 'staging',
        reason: 'freeze --for=9999h "now"',
      }),
    ).toEqual({
      service: 'toy',
      environment: 'staging',
      reason: 'freeze --for=9999h "now"',
      forMs: 4 * 3_600_000,
    });
    expect(
      parsed('deploy', 'unlock', { service: 'toy', environment: 'staging', reason: 'see --help first' }),
    ).toEqual(['toy', 'staging', 'see --help first']);
    expect(parsed('incident', 'open', { target: 'toy', what: 'staging is down' })).toEqual({
      words: ['toy', '', 'staging is down'],
    });
    // The environment picked is named as one, never read from the words (nor they from it).
    expect(
      commandLineOf(
        'incident',
        'open',
        new Map(Object.entries({ target: 'toy', environment: 'stagin', what: 'x' })),
      ),
    ).toBe('/incident open --environment=stagin -- toy "" x');
    expect(parsed('incident', 'open', { target: 'toy', environment: 'staging', what: 'staging' })).toEqual({
      words: ['toy', '', 'staging'],
      environment: 'staging',
    });
    // An option left empty keeps its place: a reason shaped like a deployment id is still the reason.
    expect(parsed('deploy', 'abort', { reason: 'toy-2' })).toEqual({
      id: undefined,
      reason: 'toy-2',
      emergency: false,
    });
    expect(commandLineOf('deploy', 'abort', new Map([['reason', 'toy-2']]))).toBe(
      '/deploy abort -- "" toy-2',
    );
    expect(commandLineOf('deploy', 'abort', new Map([['id', 'toy-2']]))).toBe('/deploy abort -- toy-2');
    expect(plainLiterals(String(parsed('deploy', 'status', { id: 'toy 1' })))).toMatch(
      /^UserError: id "toy 1": /,
    );
  });

  it('let through as long a text as the parser takes, and no longer: a 500-character reason is accepted', () => {
    const sample: Record<string, string> = {
      service: 'toy',
      version: 'v1.3.0',
      environment: 'staging',
      choice: 'retry',
      target: 'toy',
      what: 'down',
      id: 'toy-1',
      which: 'stop',
    };
    const declared: { command: string; option: string; max: number }[] = [];
    for (const command of buildSlashCommands())
      for (const top of command.options ?? []) {
        const subcommand = 'options' in top && top.type === 1;
        for (const o of subcommand ? (top.options ?? []) : [top])
          if (o.type === 3)
            declared.push({
              command: subcommand ? `${command.name} ${top.name}` : command.name,
              option: o.name,
              max: o.max_length ?? 6000,
            });
      }
    expect(declared.filter((d) => ['reason', 'note', 'what'].includes(d.option)).map((d) => d.max)).toEqual(
      Array(5).fill(500),
    );
    for (const { command, option, max } of declared) {
      const [top = '', sub = null] = command.split(' ');
      const spec = SLASH_SPECS.find((s) => s.command === command);
      const values = new Map<string, string>();
      for (const o of spec?.options ?? []) if (o.required) values.set(o.name, sample[o.name] ?? 'x');
      values.set(option, (option === 'version' ? 'v' : 'a').repeat(max));
      const found = lookupCommand(commandWords(commandLineOf(top, sub, values) ?? ''));
      const parsed = found?.command.parse(found.rest);
      expect(`${command} ${option}: ${String(parsed)}`).not.toMatch(/characters; at most/);
    }
  });

  it('offer as choices exactly the answers the usage line lists, each taken by the parser (decide run too)', () => {
    for (const spec of SLASH_SPECS)
      for (const option of spec.options.filter((o) => o.choices)) {
        const usage = allCommands().find((c) => c.name === spec.command)?.usage ?? '';
        expect(usage).toContain(`<${option.choices?.join('|')}>`);
        const [top = '', sub = null] = spec.command.split(' ');
        for (const choice of option.choices ?? []) {
          const line = commandLineOf(top, sub, new Map([[option.name, choice]])) ?? '';
          const found = lookupCommand(commandWords(line));
          expect(String(found?.command.parse(found.rest)), line).not.toMatch(/^UserError/);
        }
      }
    const decide = SLASH_SPECS.find((s) => s.command === 'deploy decide');
    expect(decide?.options.find((o) => o.name === 'choice')?.choices).toContain('run');
  });

  it('fit Discord’s limits: names, descriptions, at most 25 subcommands and options', () => {
    for (const command of buildSlashCommands()) {
      expect(command.name).toMatch(/^[a-z-]{1,32}$/);
      expect((command.description ?? '').length).toBeLessThanOrEqual(100);
      expect((command.options ?? []).length).toBeLessThanOrEqual(25);
    }
  });

  it('read ✅ ❌ 🔄 👀 (with variation selectors and skin tones) as the emoji the core knows; a look-alike (✔️, 👍, 👁️) is named as on Slack, not ✅ or 👀', () => {
    expect(
      ['✅', '✔️', '❌', '🔄', '👀', '🎉', '👍🏽', '☑️', '👁️', '✅\uFE0F'].map(canonicalDiscordEmoji),
    ).toEqual([
      'white_check_mark',
      'heavy_check_mark',
      'x',
      'arrows_counterclockwise',
      'eyes',
      '🎉',
      '+1',
      'ballot_box_with_check',
      'eye',
      'white_check_mark',
    ]);
  });
});

describe('Discord configuration', () => {
  it('takes snowflakes of 17–20 digits and names the variable otherwise', () => {
    const base = { DISCORD_TOKEN: 'token', DISCORD_APPLICATION_ID: '1280000000000000000' };
    expect(readConfig({ ...base, DISCORD_GUILD_ID: '12700000000000000' }).discord?.guildId).toBe(
      '12700000000000000',
    );
    expect(() => readConfig({ ...base, DISCORD_GUILD_ID: '123456' })).toThrow(
      /^DISCORD_GUILD_ID must be the server \(guild\) id: a snowflake of 17–20 digits/,
    );
    expect(() => readConfig({ ...base, DISCORD_APPLICATION_ID: '1'.repeat(21) })).toThrow(
      /^DISCORD_APPLICATION_ID must be/,
    );
    expect(() => readConfig({ DISCORD_TOKEN: 'token' })).toThrow(
      'DISCORD_APPLICATION_ID is not set: it is needed together with DISCORD_TOKEN',
    );
  });
});
