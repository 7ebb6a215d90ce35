/**
 * `/deploy help` and the parser agree: every form a help line shows is taken by the real parser, and every answer
 * the parser takes for a word that must be one of a few (a decision, an emergency action) is shown in the help.
 */
import { describe, expect, it } from 'vitest';
import { helpText } from '../../../src/commands/deploy-help.ts';
import { lookupCommand } from '../../../src/commands/registry.ts';
import { commandWords } from '../../../src/commands/run-command.ts';
import { UserError } from '../../../src/core/index.ts';

/** A value for each name a usage line holds in `<…>` or bare in `[…]`. */
const SAMPLES: Readonly<Record<string, string>> = {
  service: 'toy',
  version: 'v1.2.3',
  environment: 'staging',
  id: 'toy-1',
  deployment: 'toy-1',
  incident: 'INC-1',
  'what happened': 'db down',
  reason: '"db maintenance"',
  note: 'fixed',
};

/**
 * Every command line a usage line stands for: `[…]` is there or not, `a|b` is one of them, `<a|b>` one of the
 * words, `<name>` and a bare lower-case `[name]` a sample value (also after an option's `=`), `(…)` a remark, any
 * other word as it is.
 */
function expandUsage(usage: string): string[] {
  let at = 0;
  const sample = (name: string) => {
    const value = SAMPLES[name];
    if (value === undefined) throw new Error(`no sample for <${name}> in "${usage}"`);
    return [value];
  };
  const item = (): string[] => {
    const c = usage[at];
    if (c === '[') {
      at++;
      const inner = alternatives();
      if (usage[at++] !== ']') throw new Error(`unclosed [ in "${usage}"`);
      return ['', ...inner];
    }
    if (c === '<' || c === '(') {
      const end = usage.indexOf(c === '<' ? '>' : ')', at);
      const body = usage.slice(at + 1, end);
      at = end + 1;
      if (c === '(') return [''];
      return body.includes('|') ? body.split('|') : sample(body);
    }
    const start = at;
    while (at < usage.length && !' []|'.includes(usage[at] ?? '')) at++;
    const word = usage.slice(start, at);
    if (/^[a-z]+$/.test(word) && SAMPLES[word] !== undefined) return sample(word);
    // An option's value named in the word: `--environment=<environment>`.
    return [word.replace(/<([a-z ]+)>/g, (_, name: string) => sample(name)[0] ?? '')];
  };
  const sequence = (): string[] => {
    let lines = [''];
    while (at < usage.length && usage[at] !== ']' && usage[at] !== '|') {
      if (usage[at] === ' ') {
        at++;
        continue;
      }
      const options = item();
      lines = lines.flatMap((l) => options.map((o) => [l, o].filter(Boolean).join(' ')));
    }
    return lines;
  };
  const alternatives = (): string[] => {
    const lines = sequence();
    while (usage[at] === '|') {
      at++;
      lines.push(...sequence());
    }
    return lines;
  };
  return alternatives();
}

/** The usage lines of `/deploy help`: its lines that start with a slash, up to the two spaces before the summary. */
const helpUsages = () =>
  helpText()
    .split('\n')
    .filter((line) => line.startsWith('/'))
    .map((line) => line.split('  ')[0] ?? '');

const parse = (line: string) => {
  const found = lookupCommand(commandWords(line));
  return { found, args: found?.command.parse(found.rest) };
};

describe('/deploy help and the parser', () => {
  it('expands a usage line into the lines it stands for', () => {
    expect(expandUsage('/incident emergency <stop|logs> [<incident>]')).toEqual([
      '/incident emergency stop',
      '/incident emergency stop INC-1',
      '/incident emergency logs',
      '/incident emergency logs INC-1',
    ]);
    expect(expandUsage('/incident open [<deployment>|<service> [<environment>]] <what happened>')).toEqual([
      '/incident open db down',
      '/incident open toy-1 db down',
      '/incident open toy db down',
      '/incident open toy staging db down',
    ]);
    expect(expandUsage('/incident open <what happened> [--environment=<environment>]')).toEqual([
      '/incident open db down',
      '/incident open db down --environment=staging',
    ]);
  });

  it('takes every form each help line shows, as the command that line is for', () => {
    const usages = helpUsages();
    expect(usages.length).toBeGreaterThan(10);
    for (const usage of usages)
      for (const line of expandUsage(usage)) {
        const { found, args } = parse(line);
        expect(found?.command.usage, line).toBe(usage);
        expect(args instanceof UserError ? args.message : 'taken', line).toBe('taken');
      }
  });

  it('shows every answer the parser takes for a word that must be one of a few, and every option', () => {
    // The words Preflight asks people to type (decisions, emergency actions), and look-alikes of them.
    const asked = [
      'retry',
      'skip',
      'rollback',
      'run',
      'stop',
      'logs',
      'abort',
      'resume',
      'continue',
      'cancel',
    ];
    const help = helpText();
    for (const usage of helpUsages()) {
      const choice = /^(\/[a-z ]+?) <([a-z]+(?:\|[a-z]+)+)>/.exec(usage);
      if (!choice) continue;
      const shown = (choice[2] ?? '').split('|');
      for (const word of asked) {
        const taken = !(parse(`${choice[1]} ${word}`).args instanceof UserError);
        expect(taken && !shown.includes(word), `${choice[1]} ${word} is taken but not in the help`).toBe(
          false,
        );
      }
    }
    expect(help).toContain('/deploy decide <retry|skip|rollback|run> [<id>]');
    // Options the parser takes are shown too: --emergency, --for=, --environment=.
    for (const option of ['--emergency', '--for=', '--environment=']) expect(help).toContain(option);
  });
});
