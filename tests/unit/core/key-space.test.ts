import { describe, expect, it } from 'vitest';
import { createKeySpace } from '../../../src/core/index.ts';

describe('createKeySpace', () => {
  it('starts every key with the prefix as one hash tag, so Redis Cluster keeps them in one slot', () => {
    const keys = createKeySpace('pf:');
    const names = [
      keys.deployment('sparkle-7'),
      keys.audit('sparkle-7'),
      keys.lock('sparkle', 'production'),
      keys.outbox,
      keys.event('slack:Ev1'),
      keys.chat.queue('slack:C1'),
      keys.chat.posted('slack:C1', 'sparkle-7:started'),
      keys.run('sparkle-7:migrate:1', 'lease'),
      `${keys.queuePrefix}:pf-steps:wait`,
    ];
    for (const name of names) expect(name.startsWith('{pf}:')).toBe(true);
    expect(keys.deployment('sparkle-7')).toBe('{pf}:dep:sparkle-7');
  });

  it('refuses a prefix that would break the hash tag', () => {
    expect(() => createKeySpace('p{f}:')).toThrow(/letters, digits/);
  });
});
