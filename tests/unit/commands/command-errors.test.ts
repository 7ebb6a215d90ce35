/** What a person reads when a command's words are wrong: the argument by name, the problem, the usage. */
import { describe, expect, it } from 'vitest';
import type { CommandContext } from '../../../src/commands/command.ts';
import { runCommand } from '../../../src/commands/run-command.ts';
import { plainLiterals } from '../../../src/core/index.ts';

const ctx = {
  platform: 'console',
  userId: 'ann',
  channel: '#deploy',
  services: { engine: { runbooks: { services: () => ['toy'], current: () => undefined } }, notifier: {} },
} as unknown as CommandContext;
/** The answer as shown: a typed word quoted back is a literal span in it. */
const say = async (text: string) => plainLiterals((await runCommand(ctx, text, { error() {} })).text);

describe('command argument errors', () => {
  it('names the missing arguments instead of a zod message', async () => {
    expect(await say('/deploy lock')).toBe(
      '⚠️ missing <service> and <environment>. Usage: /deploy lock <service> <environment> [reason] [--for=2h]',
    );
    expect(await say('/deploy start toy')).toBe(
      '⚠️ missing <version>. Usage: /deploy start <service> <version> [<environment>]',
    );
  });

  it('says a word is too long, and how long it may be, never "too many arguments"', async () => {
    expect(await say(`/deploy start toy v${'1'.repeat(200)}`)).toBe(
      '⚠️ version is 201 characters; at most 128. Usage: /deploy start <service> <version> [<environment>]',
    );
    expect(await say(`/deploy start toy ${'x'.repeat(5000)}`)).toMatch(
      /^⚠️ version is 5,000 characters; at most 128\./,
    );
    expect(await say(`/deploy lock toy production ${'r'.repeat(501)}`)).toMatch(
      /^⚠️ reason is 501 characters; at most 500\./,
    );
    expect(await say(`/deploy status ${'a'.repeat(64)}`)).toMatch(/^⚠️ id is 64 characters; at most 63\./);
  });

  it('holds a reason or note typed as many words to the length one typed as a single word may have', async () => {
    const words = (n: number) => Array(n).fill('twenty-four-characters!!').join(' ');
    expect(await say(`/deploy lock toy production ${words(21)}`)).toBe(
      '⚠️ reason is 524 characters; at most 500. Usage: /deploy lock <service> <environment> [reason] [--for=2h]',
    );
    expect(await say(`/deploy abort toy-1 ${words(21)}`)).toMatch(
      /^⚠️ reason is 524 characters; at most 500\./,
    );
    expect(await say(`/incident resolve INC-1 ${words(21)}`)).toMatch(
      /^⚠️ note is 524 characters; at most 500\./,
    );
  });

  it('names an argument that may be one of two things by both, in the count of words and in its length', async () => {
    expect(await say('/deploy history shop extra')).toBe(
      '⚠️ too many arguments: 2 given, at most 1 (service or deployment). Usage: /deploy history [<service>|<deployment>]',
    );
    expect(await say('/oncall shop-1 extra')).toBe(
      '⚠️ too many arguments: 2 given, at most 1 (service or deployment). Usage: /oncall [<service>|<deployment>]',
    );
    expect(await say(`/oncall ${'a'.repeat(64)}`)).toMatch(
      /^⚠️ service or deployment is 64 characters; at most 63\./,
    );
  });

  it('lists the choices for a word that must be one of a few, never a zod message', async () => {
    expect(await say('/incident emergency frob INC-1')).toBe(
      '⚠️ "frob": choose stop or logs. Usage: /incident emergency <stop|logs> [<incident>]',
    );
    expect(await say('/incident emergency restart')).toBe(
      '⚠️ "restart": choose stop or logs. Usage: /incident emergency <stop|logs> [<incident>]',
    );
  });

  it('quotes an unknown option back as it was typed, while known ones are taken in any case', async () => {
    expect(await say('/deploy decide retry --Nope')).toBe(
      '⚠️ unknown option "--Nope". Usage: /deploy decide <retry|skip|rollback|run> [<id>]',
    );
  });

  it('says too many arguments only when there are', async () => {
    expect(await say('/deploy status a b c')).toBe(
      '⚠️ too many arguments: 3 given, at most 1 (id). Usage: /deploy status [<id>]',
    );
  });

  it('quotes a bad word back, short and on one line', async () => {
    expect(await say('/deploy start t;x v1')).toBe(
      '⚠️ service "t;x": use letters, digits, ".", "_" and "-" (starting with a letter or digit). Usage: /deploy start <service> <version> [<environment>]',
    );
    expect(await say(`/ack ${'🎉'.repeat(10)}\u202e`)).toMatch(/^⚠️ incident "(🎉){10}�": use letters/);
    expect(await say(`/ack a${'é'.repeat(50)}`)).toMatch(/^⚠️ incident "aé{39}…": use letters/);
    expect(await say('/deploy decide maybe')).toBe(
      '⚠️ "maybe": choose retry, skip, rollback or run. Usage: /deploy decide <retry|skip|rollback|run> [<id>]',
    );
  });

  it('takes no lock whose reason reads as how long it holds, and says how to type that', async () => {
    expect(await say('/deploy lock toy production 2h')).toBe(
      '⚠️ "2h" reads as how long the lock holds; type /deploy lock toy production --for=2h',
    );
    expect(await say('/deploy lock toy production for 90m release freeze')).toBe(
      '⚠️ "for 90m" reads as how long the lock holds; type /deploy lock toy production --for=90m release freeze',
    );
    // Given after --, or with --for, it is the reason's.
    expect(await say('/deploy lock toy production --for=1h 2h window')).not.toMatch(/reads as how long/);
  });

  it('names the choice a misspelled one is closest to', async () => {
    expect(await say('/deploy decide retyr')).toBe(
      '⚠️ "retyr": choose retry, skip, rollback or run; did you mean retry? Usage: /deploy decide <retry|skip|rollback|run> [<id>]',
    );
    expect(await say('/deploy decide Rolback toy-1')).toMatch(
      /^⚠️ "Rolback": choose .*; did you mean rollback\? /,
    );
    expect(await say('/incident emergency stpo INC-1')).toMatch(
      /^⚠️ "stpo": choose stop or logs; did you mean stop\? /,
    );
  });

  it('lists a family’s subcommands for /incident alone', async () => {
    expect(await say('/incident')).toBe(
      '⚠️ /incident needs one of: open, status, resolve, emergency. Usage: /incident open [<deployment>|<service> [<environment>]] <what happened> [--environment=<environment>] · /incident status [<id>] · /incident resolve <id> [note] · /incident emergency <stop|logs> [<incident>]',
    );
  });

  it('/deploy help with a word that names no command says so, with the closest one, instead of the whole list', async () => {
    expect(await say('/deploy help frobnicate')).toBe(
      '⚠️ unknown command "/deploy frobnicate"; /deploy has: start, status, plan, abort, pause, resume, decide, history, lock, unlock, help (/deploy help lists every command)',
    );
    expect(await say('/deploy help abrot')).toBe(
      '⚠️ unknown command "/deploy abrot"; did you mean /deploy abort [<id>] [--emergency] [reason]? (/deploy help lists every command)',
    );
    expect(await say('/deploy help /rollback')).toBe(
      "/rollback [<id>]  run the runbook's rollback plan for a deployment",
    );
    expect(await say('/deploy help rollback extra words')).toBe(
      "/rollback [<id>]  run the runbook's rollback plan for a deployment",
    );
    expect((await say('/deploy help incident')).split('\n').map((line) => line.split('  ')[0])).toEqual([
      '/incident open [<deployment>|<service> [<environment>]] <what happened> [--environment=<environment>]',
      '/incident status [<id>]',
      '/incident resolve <id> [note]',
      '/incident emergency <stop|logs> [<incident>]',
    ]);
    expect(await say('/deploy help')).toMatch(/^Preflight runs your deployment runbook from chat\./);
  });

  it('names the closest command for a slip, without dumping the help', async () => {
    expect(await say('/deploy strat toy v1')).toBe(
      '⚠️ unknown command "/deploy strat"; did you mean /deploy start <service> <version> [<environment>]? (/deploy help lists every command)',
    );
    expect(await say('/rollbak')).toBe(
      '⚠️ unknown command "/rollbak"; did you mean /rollback [<id>]? (/deploy help lists every command)',
    );
    // A Cyrillic "е" that looks like an "e".
    expect(await say('/d\u0435ploy start')).toContain('did you mean /deploy start <service>');
    expect(await say('/zzzzzzz')).toBe('⚠️ unknown command "/zzzzzzz"; /deploy help lists every command');
    // A command of its own typed under /deploy: that command.
    expect(await say('/deploy rollback toy-1')).toBe(
      '⚠️ unknown command "/deploy rollback"; did you mean /rollback [<id>]? (/deploy help lists every command)',
    );
    expect(await say('/deploy ack INC-1')).toContain('did you mean /ack [<incident>]?');
    expect(await say('/deploy incident open toy down')).toContain(
      '/incident has: open, status, resolve, emergency',
    );
  });
});
