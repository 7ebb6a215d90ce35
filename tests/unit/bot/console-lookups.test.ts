import { describe, expect, it } from 'vitest';
import { createConsoleLookups } from '../../../src/bot/console/console-lookups.ts';

function lookups() {
  let slept = 0;
  const l = createConsoleLookups({
    index: { find: async () => undefined, lookup: async () => undefined },
    store: { get: async () => undefined },
    chat: { shown: () => undefined },
    channels: [],
    sleep: async () => {
      slept += 1;
    },
  });
  return { l, slept: () => slept };
}

describe('a mistyped message reference in the terminal chat', () => {
  it('fails at once when a deployment is asked for an incident message (react last/incident)', async () => {
    const { l, slept } = lookups();
    await expect(
      l.message({ kind: 'topic', deployment: 'last', key: 'incident' }, () => 'toy-2'),
    ).rejects.toThrow(
      'toy-2/incident: a deployment posts no "incident" message (it is an incident\'s message: use the incident\'s id, e.g. INC-1/incident); its keys look like status, gate:security, checklist-item:release-notes, rollback:<at>',
    );
    expect(slept()).toBe(0);
  });

  it('fails at once on a kind no message has', async () => {
    const { l, slept } = lookups();
    await expect(l.message({ kind: 'topic', deployment: 'INC-1', key: 'gaet:x' }, (n) => n)).rejects.toThrow(
      'INC-1/gaet:x: an incident posts no "gaet" message; its keys look like incident, page:1:0',
    );
    expect(slept()).toBe(0);
  });
});
