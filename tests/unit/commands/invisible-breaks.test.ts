/** Zero-width characters pasted into a command line: a break between two words, or a stray in a name. */
import { describe, expect, it } from 'vitest';
import { knownWords } from '../../../src/commands/known-words.ts';
import { splitCommandLine } from '../../../src/commands/parse-words.ts';
import { lookupCommand } from '../../../src/commands/registry.ts';
import { commandWords } from '../../../src/commands/run-command.ts';

const runbooks = {
  services: () => ['shop'],
  current: () => ({ runbook: { environments: { production: {}, staging: {} } } }),
} as unknown as Parameters<typeof knownWords>[0];
const words = (line: string) => commandWords(line, knownWords(runbooks));

describe('zero-width characters in a command line', () => {
  it('split a word where they stand between two words', () => {
    for (const zw of ['\u200b', '\u2060', '\ufeff'])
      expect(words(`/deploy status${zw}shop-1`)).toEqual(['deploy', 'status', 'shop-1']);
    expect(words('/deploy\u200bstart shop v1.0.0')).toEqual(['deploy', 'start', 'shop', 'v1.0.0']);
    expect(words('/deploy start shop\u200b\u2060v1.0.0 staging')).toEqual([
      'deploy',
      'start',
      'shop',
      'v1.0.0',
      'staging',
    ]);
    expect(words('/deploy abort shop-1 flaky\u200btests')).toEqual([
      'deploy',
      'abort',
      'shop-1',
      'flaky',
      'tests',
    ]);
    expect(lookupCommand(words('/deploy status\u200bshop-1'))?.command.name).toBe('deploy status');
  });

  it('fold away at a name’s start or end, or next to punctuation, as before', () => {
    expect(words('/deploy history shop\u200b')).toEqual(['deploy', 'history', 'shop']);
    expect(words('/deploy status \u2060shop-1')).toEqual(['deploy', 'status', 'shop-1']);
    expect(words('/deploy status shop-\u200b1')).toEqual(['deploy', 'status', 'shop-1']);
  });

  it('keep a word Preflight knows whole: a command word, service, environment or id', () => {
    expect(words('/deploy sta\u200btus sh\u200bop-1')).toEqual(['deploy', 'status', 'shop-1']);
    expect(words('/deploy start sh\u200bop v1.0.0 stag\u200bing')).toEqual([
      'deploy',
      'start',
      'shop',
      'v1.0.0',
      'staging',
    ]);
    expect(words('/ack INC\u200b-3')).toEqual(['ack', 'INC-3']);
    expect(words('/ack IN\u200bC-3')).toEqual(['ack', 'INC-3']);
  });

  it('leave a quoted word whole', () => {
    expect(splitCommandLine('lock shop production "db\u200bmaintenance"')).toEqual([
      'lock',
      'shop',
      'production',
      'db\u200bmaintenance',
    ]);
  });
});
