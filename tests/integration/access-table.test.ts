/**
 * One door: every person-caused action × every input path × every kind of person, through the real dispatcher
 * and engine on a real Redis. The same decision on every path; on a refusal the state is unchanged, the words
 * are the same everywhere, the refusal is in the audit log and counted. Rows: access-rows.ts; columns (add a
 * platform there): access-paths.ts.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createMetrics } from '../../src/infra/metrics.ts';
import {
  ACCESS_PATHS,
  ACCESS_RUNBOOK,
  type AccessPath,
  offers,
  sendDownPath,
} from '../helpers/access-paths.ts';
import { ACCESS_ROWS, type AccessRow, type Expected, type Kind } from '../helpers/access-rows.ts';
import { type Harness, startHarness } from '../helpers/engine-harness.ts';
import { startTestRedis, type TestRedis } from '../helpers/redis-server.ts';

let redis: TestRedis;
let h: Harness;
const metrics = createMetrics();

beforeAll(async () => {
  redis = await startTestRedis();
  h = await startHarness({
    runbook: ACCESS_RUNBOOK,
    redisUrl: redis.url,
    work: false,
    refusals: metrics.refusals,
  });
});
afterAll(async () => {
  await h?.stop();
  await redis?.stop();
});

const KINDS: readonly Kind[] = ['allowed', 'notAllowed', 'requester', 'unknown'];
const VIA = { command: 'command', reaction: 'reaction', button: 'button', 'thread-reply': 'thread-reply' };

interface Case {
  readonly row: AccessRow;
  readonly path: AccessPath;
  readonly kind: Kind;
  readonly person: string;
  readonly expected: Expected;
}

function casesOf(row: AccessRow): Case[] {
  const forms = row.forms('x');
  return ACCESS_PATHS.filter((path) => offers(forms, path.mode)).flatMap((path) =>
    KINDS.flatMap((kind) => {
      const person = kind === 'unknown' ? 'nobody' : row.people[kind as Exclude<Kind, 'unknown'>];
      const expected = kind === 'unknown' ? (row.expect.unknown ?? 'UNKNOWN_PERSON') : row.expect[kind];
      return person !== undefined && expected !== undefined ? [{ row, path, kind, person, expected }] : [];
    }),
  );
}

/** Runs one case and says what happened, in the table's terms. */
async function runCase(c: Case): Promise<{ got: Expected; text?: string }> {
  const id = await c.row.setup(h, c.path);
  const subject = c.row.subject?.(id) ?? id;
  const before = await c.row.snapshot(h, id);
  const auditBefore = (await h.preflight.engine.store.audit(subject)).length;
  const answer = await sendDownPath(h, c.path, c.person, id, c.row.forms(id));
  const after = await c.row.snapshot(h, id);
  const refusals = (await h.preflight.engine.store.audit(subject))
    .slice(auditBefore)
    .filter((r) => r.type === 'access.refused');
  await c.row.cleanup?.(h, id);
  const changed = JSON.stringify(before) !== JSON.stringify(after);
  if (refusals.length === 0) {
    // Not a request: nothing changed, and nobody was answered.
    if (!changed) expect(answer.text, `${c.row.action} ignored, yet answered`).toBeUndefined();
    return { got: changed ? 'applied' : 'ignored', ...answer };
  }
  // A refusal: nothing changed, one audit record saying who, what and which path, and the same words as answered.
  expect(changed, `${c.row.action} refused but changed ${JSON.stringify([before, after])}`).toBe(false);
  expect(refusals).toHaveLength(1);
  const record = refusals[0];
  const actor = c.kind === 'unknown' ? expect.stringMatching(/^(slack|console|discord):/) : c.person;
  expect(record).toMatchObject({ actor, detail: { via: VIA[c.path.mode] } });
  expect(answer.text).toBe(`⚠️ ${String(record?.detail.reason)}`);
  return { got: String(record?.detail.code) as Expected, ...answer };
}

describe('one door for every action', () => {
  const cases = ACCESS_ROWS.flatMap(casesOf);

  it('covers every action, every path that offers it and every kind of person', () => {
    expect(ACCESS_ROWS.map((r) => r.action)).toEqual(
      expect.arrayContaining([
        'start',
        'checklist.tick',
        'gate.approve',
        'gate.reject',
        'gate.reason',
        'pause',
        'resume',
        'abort',
        'abort --emergency',
        'rollback.request',
        'rollback.approve',
        'decide',
        'incident.ack',
        'incident.resolve',
        'incident.open',
        'lock',
        'unlock',
      ]),
    );
    for (const path of ACCESS_PATHS)
      expect(
        cases.some((c) => c.path === path),
        `no action goes through ${path.name}`,
      ).toBe(true);
  });

  it.each(ACCESS_ROWS.map((row) => [row.action, row] as const))(
    '%s: the same decision and the same words on every path',
    async (_action, row) => {
      const words = new Map<Kind, Set<string>>();
      for (const c of casesOf(row)) {
        const { got, text } = await runCase(c);
        expect(got, `${row.action} by ${c.kind} (${c.person}) through ${c.path.name}`).toBe(c.expected);
        if (got !== 'applied' && got !== 'ignored') {
          const seen = words.get(c.kind) ?? new Set<string>();
          // The same words, but for the ids of the subject (fresh per case) and how each platform names the caller.
          seen.add(
            (text ?? '')
              .replace(/\b(svc|INC)-\d+/g, '$1-N')
              .replace(/your (slack|discord) user id \(\w+\)|"nobody"/, '<who>'),
          );
          words.set(c.kind, seen);
        }
      }
      for (const [kind, texts] of words) expect([...texts], `${row.action}, ${kind}`).toHaveLength(1);
    },
  );

  // One refused button press and one refused self-approval by reaction per platform (Slack, terminal, Discord).
  it('counts every refusal in /metrics', async () => {
    const body = (await metrics.render()).body;
    expect(body).toMatch(
      /preflight_access_refusals_total\{action="rollback.request",via="button",code="NOT_PERMITTED"\} 3/,
    );
    expect(body).toMatch(
      /preflight_access_refusals_total\{action="rollback.approve",via="reaction",code="SELF_APPROVAL"\} 3/,
    );
  });
});
