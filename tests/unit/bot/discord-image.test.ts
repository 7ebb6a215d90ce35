import { describe, expect, it } from 'vitest';
import { buildDiscordMessage } from '../../../src/bot/discord/discord-message.ts';

describe('a report with its timeline picture on Discord', () => {
  it('attaches the PNG bytes as a file next to the text', () => {
    const png = Uint8Array.from([0x89, 0x50, 0x4e, 0x47, 1, 2, 3]);
    const built = buildDiscordMessage({
      text: '*Report* toy v1.3.0: rolled back',
      image: { name: 'toy-2-timeline.png', png, alt: 'Timeline of toy-2' },
    });
    expect(built.body.content).toBe('**Report** toy v1.3.0: rolled back');
    expect(built.files.map((f) => [f.name, [...f.data]])).toEqual([['toy-2-timeline.png', [...png]]]);
  });
});
