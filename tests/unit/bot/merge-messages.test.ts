import { expect, it } from 'vitest';
import { mergeMessages } from '../../../src/bot/render/merge-messages.ts';

it('posts step results that waited together as one message, the gravest tone winning', () => {
  const merged = mergeMessages([
    { text: '✅ 1 *Build* succeeded', tone: 'good' },
    { text: '❌ 2 *Test* failed', tone: 'bad' },
  ]);
  expect(merged).toEqual({ text: '✅ 1 *Build* succeeded\n❌ 2 *Test* failed', tone: 'bad' });
});

it('moves results too long for one post into a file, keeping each first line in the message', () => {
  const long = (n: number) => ({ text: `✅ ${n} *Step ${n}* succeeded\n\`\`\`\n${'x'.repeat(400)}\n\`\`\`` });
  const merged = mergeMessages([...Array.from({ length: 12 }, (_, i) => long(i + 1))]);
  expect(merged.text.split('\n')).toHaveLength(13);
  expect(merged.text).toContain('✅ 12 *Step 12* succeeded');
  expect(merged.text).toContain('12 results in full in step-results.txt');
  expect(merged.attachment?.content).toContain('x'.repeat(400));
});
