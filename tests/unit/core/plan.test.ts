import { describe, expect, it } from 'vitest';
import { buildPlan, renderPlan } from '../../../src/core/index.ts';
import { loadRepoRunbook, parseInline } from '../../helpers/load-runbook.ts';

const sparkle = loadRepoRunbook('runbook.yaml');
const start = Date.parse('2026-01-07T14:00:00+08:00');

/** A runbook with a 09:00–17:00 UTC window, a first step at once and `later` steps after it. */
function windowedRunbook(service: string, later: readonly string[]) {
  const runbook = parseInline(`version: 1
service: ${service}
timezone: UTC
environments: { production: { default: true } }
channels: { deploy: "#deploy", incident: "#incident" }
people: { ann: { name: Ann, slack: U1 } }
permissions: { deploy: [ann], rollback: [ann] }
window: { start: "09:00", end: "17:00" }
steps:
  - { id: one, title: One, at: "+0s", run: "true" }
${later.map((step) => `  - ${step}`).join('\n')}
escalation: { levels: [{ id: L1, notify: [ann], respond_within: 15m }] }
`).runbook;
  if (!runbook) throw new Error('the runbook is invalid');
  return runbook;
}

describe('the Sparkle plan', () => {
  const plan = buildPlan(sparkle, { start, version: 'v1.3.0' });

  it('schedules the seed steps at their times in UTC+8 and in UTC', () => {
    expect(plan.steps.map((s) => [s.label, s.at.local.slice(11, 16), s.at.utc.slice(11, 16)])).toEqual([
      ['1', '14:00', '06:00'],
      ['1.5', '14:10', '06:10'],
      ['2', '14:15', '06:15'],
      ['3', '14:30', '06:30'],
      ['4', '14:45', '06:45'],
      ['5', '15:00', '07:00'],
      ['6', '15:15', '07:15'],
      ['7', '15:30', '07:30'],
      ['8', '15:45', '07:45'],
    ]);
    expect(plan.steps[0]?.at.local).toBe('2026-01-07T14:00:00+08:00');
  });

  it('puts all five approval gates before the first step', () => {
    expect(plan.gates.map((g) => g.id)).toEqual([
      'security',
      'performance',
      'operations',
      'product',
      'management',
    ]);
    expect(plan.steps[0]?.needs).toEqual(['security', 'performance', 'operations', 'product', 'management']);
    expect(plan.gates.every((g) => g.neededBy.includes('db-migration'))).toBe(true);
  });

  it('pages L1 at once after the last step (not at the window end), L2 after 15 minutes, L3 after 45', () => {
    expect(plan.escalation.levels.map((l) => [l.id, l.after, l.at.local.slice(11, 16)])).toEqual([
      ['L1', '+0s', '15:45'],
      ['L2', '+15m', '16:00'],
      ['L3', '+45m', '16:30'],
      ['L3', '+1h45m', '17:30'],
    ]);
    expect(plan.escalation.levels[0]?.notify.map((p) => p.id)).toEqual(['wei']);
    expect(plan.escalation.levels[2]?.notify.map((p) => p.id)).toEqual(['zhou']);
  });

  it('knows the window is open at the start and shut the next day', () => {
    expect(plan.window?.openAtStart).toBe(true);
    const later = buildPlan(sparkle, { start: Date.parse('2026-01-08T14:30:00+08:00') });
    expect(later.window?.openAtStart).toBe(false);
    expect(later.window?.span).toBeUndefined();
  });

  it('says when a window closed at the start next opens, the day said once', () => {
    const early = buildPlan(sparkle, { start: Date.parse('2026-01-06T10:00:00+08:00') });
    expect(renderPlan(early).join('\n')).toContain(
      'CLOSED at the start; next opens 2026-01-07 14:00 (2026-01-07 06:00 UTC)',
    );
  });

  it('marks a step that falls after the window has closed: it waits for a decision', () => {
    expect(plan.steps.some((s) => s.afterWindow)).toBe(false);
    const late = windowedRunbook('late', ['{ id: two, title: Two, at: "+1h", run: "true" }']);
    const built = buildPlan(late, { start: Date.parse('2026-01-07T16:30:00Z') });
    expect(built.steps.map((s) => s.afterWindow ?? false)).toEqual([false, true]);
    expect(renderPlan(built).join('\n')).toMatch(
      /17:30\s+two\s+Two ⚠ after the window closes: not started on its own, the deployment asks for a \/deploy decide first/,
    );
  });

  it('does not mark a step that falls in a later opening of the window, as the deployment runs it then', () => {
    // The sandbox's window is open all day, every day: at midnight one day's window hands over to the next.
    const toy = loadRepoRunbook('examples/sandbox/runbook.yaml');
    const midnight = buildPlan(toy, { start: Date.parse('2026-03-10T23:59:59Z') });
    expect(midnight.steps.map((s) => s.afterWindow ?? false)).toEqual([false, false, false, false]);
    expect(renderPlan(midnight).join('\n')).not.toContain('after the window closes');
    const daily = windowedRunbook('daily', [
      '{ id: two, title: Two, at: "+1h", run: "true" }',
      '{ id: three, title: Three, at: "+18h", run: "true" }',
    ]);
    const built = buildPlan(daily, { start: Date.parse('2026-01-07T16:30:00Z') });
    // 17:30 is after the window; 10:30 the next day is inside that day's.
    expect(built.steps.map((s) => s.afterWindow ?? false)).toEqual([false, true, false]);
  });

  it('renders the timeline with both clocks', () => {
    const text = renderPlan(plan).join('\n');
    expect(text).toMatch(/^\s+1\.5\s+14:10\s+06:10\s+redis-search-index/m);
    expect(text).toMatch(/^\s+8\s+15:45\s+07:45\s+production-verification/m);
    expect(text).toContain('+45m     16:30 (08:30 UTC)  L3 CTO: Zhou Qiang (CTO)*');
    // A deployment starts monitoring when its last step has finished, not at the window's end (16:00).
    expect(text).toContain(
      'Post-deployment, from 15:45 (07:45 UTC) at the earliest: it starts once the last step (production-verification) has finished and any health verification passed; the times below count from then',
    );
    expect(text).toContain('Requires   DATABASE_URL, CELERY_BROKER_URL, LLM_API_KEY, JWT_SECRET');
  });
});

describe('the sandbox plan (second-scale steps)', () => {
  const toy = loadRepoRunbook('examples/sandbox/runbook.yaml');
  const text = renderPlan(buildPlan(toy, { start: Date.parse('2026-01-07T14:00:00Z') })).join('\n');

  it('shows seconds, so steps 2 s apart do not all read 14:00', () => {
    expect(text).toMatch(/^\s+2\s+14:00:02\s+14:00:02\s+migrate/m);
    expect(text).toMatch(/^\s+4\s+14:00:06\s+14:00:06\s+smoke/m);
  });

  it('counts monitoring, success and escalation from the last step, not from the window end (midnight)', () => {
    expect(text).toContain(
      'Post-deployment, from 14:00:06 (14:00:06 UTC) at the earliest: it starts once the last step',
    );
    expect(text).toContain('First minute after the deploy: 14:00:06–14:01:06');
    expect(text).toContain('14:00:36  Healthy 30 seconds after the deploy');
    expect(text).toContain('Escalation, if an incident opens at 14:00:06 (14:00:06 UTC)');
  });
});
