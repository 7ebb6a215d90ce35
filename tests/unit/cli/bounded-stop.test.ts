/** A stop goes on past a part that never closes (a hung connection), saying which part; a part that closes is waited for. */
import { expect, it } from 'vitest';
import { boundedStop } from '../../../src/bounded-stop.ts';

const recording = () => {
  const warnings: { part: unknown; msg: string | undefined }[] = [];
  return {
    warnings,
    log: { warn: (o: { part?: unknown }, msg?: string) => warnings.push({ part: o.part, msg }) },
  };
};

it('goes on without a part that never closes, and names it', async () => {
  const { warnings, log } = recording();
  await boundedStop('the chat inbox', new Promise<void>(() => {}), log as never, 50);
  expect(warnings).toEqual([
    {
      part: 'the chat inbox',
      msg: 'a part did not close in time; stopping without it (its work is handled again elsewhere)',
    },
  ]);
});

it('waits for a part that closes, and says nothing', async () => {
  const { warnings, log } = recording();
  let closed = false;
  await boundedStop(
    'the chat send queue',
    new Promise<void>((resolve) =>
      setTimeout(() => {
        closed = true;
        resolve();
      }, 20),
    ),
    log as never,
    1_000,
  );
  expect(closed).toBe(true);
  expect(warnings).toEqual([]);
});
