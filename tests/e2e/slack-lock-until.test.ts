/**
 * Slack end to end: a lock asked to hold "until 18:00" is refused with the `--for=` that ends it then (in the
 * runbook's time zone), rather than taken for the default time with "until 18:00" as its reason.
 */
import { describe, expect, it } from 'vitest';
import { plainLiterals } from '../../src/core/index.ts';
import { ANN, oneGateRunbook } from '../helpers/one-gate-runbook.ts';
import { useSlackSuite } from '../helpers/slack-suite.ts';

const suite = useSlackSuite(oneGateRunbook('shop'));

const typed = async (line: string) => {
  const { h } = suite;
  const { tag } = await h.command(ANN, line);
  const answer = await h.waitFor('the answer', () => h.fake.responses.find((r) => r.tag === tag));
  return plainLiterals(String(answer.body.text)).replaceAll('&lt;', '<').replaceAll('&gt;', '>');
};

describe('a lock asked to hold until a time', () => {
  it('is refused with the --for= that ends it then, and nothing is locked', async () => {
    const { h } = suite;
    const answer = await typed('/deploy lock shop production until 18:00 db maintenance');
    const found = /--for=(?:(\d+)h)?(?:(\d+)m)? db maintenance$/.exec(answer);
    expect(answer).toMatch(
      /^⚠️ "until 18:00" reads as when the lock ends, but a lock takes how long it holds; nothing was locked\. To hold it until 18:00 in UTC \(the runbook's time zone\), type \/deploy lock shop production --for=\S+ db maintenance$/,
    );
    // The time until the next 18:00 UTC, rounded up to the minute (it may have ticked over since).
    const now = Date.now();
    const next = new Date(now).setUTCHours(18, 0, 0, 0);
    const minutes = Math.ceil(((next > now ? next : next + 86_400_000) - now) / 60_000);
    const given = Number(found?.[1] ?? 0) * 60 + Number(found?.[2] ?? 0);
    expect([minutes - 1, minutes]).toContain(given);

    expect(await typed('/deploy lock shop production till tomorrow')).toBe(
      '⚠️ "till tomorrow" reads as when the lock ends, but a lock takes how long it holds; nothing was locked. Type how long it holds: /deploy lock shop production --for=<duration, e.g. 2h>',
    );
    expect(await h.preflight.engine.store.lockHolder('shop', 'production')).toBeUndefined();
    // A reason that only mentions a time is a reason.
    expect(await typed('/deploy lock shop production until the migration is verified')).toMatch(
      /^🔒 shop production locked by Ann for 4h: until the migration is verified\./,
    );
  });
});
