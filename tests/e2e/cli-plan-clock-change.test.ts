/**
 * `preflight plan` across a clock change in the runbook's zone (late March, late October in Europe/Berlin): each
 * local time carries the offset it is in, so it reads right beside its UTC time, and agrees with --json.
 */
import { describe, expect, it } from 'vitest';
import { ANA_LADDER, planOn } from '../helpers/plan-cli.ts';

const plan = planOn(
  'night.yaml',
  `version: 1
service: shop
timezone: Europe/Berlin
window: { start: "01:00", end: "05:00" }
environments: { production: { default: true } }
channels: { deploy: "#d", incident: "#i" }
people: { ana: { name: Ana, slack: U1 } }
permissions: { deploy: [ana], rollback: [ana] }
steps:
  - { id: first, title: First, at: "01:30", run: ./a.sh }
  - { id: second, title: Second, at: "03:30", run: ./b.sh }
  - { id: third, title: Third, at: "04:30", run: ./c.sh }
success:
  - { id: first-day, title: First day, at: 1d }
${ANA_LADDER}`,
);

const row = (stdout: string, id: string) =>
  stdout
    .split('\n')
    .find((line) => new RegExp(`\\s${id}\\s`).test(line))
    ?.trim()
    .split(/\s{2,}/);

describe('preflight plan across a clock change', () => {
  it('late March (clocks go forward): each step shows its own offset, matching its UTC time and --json', async () => {
    const { stdout } = await plan('--start', '2026-03-29T01:00:00+01:00');
    expect(stdout).toContain(
      'Time zone  Europe/Berlin (UTC+01:00 at the start, then UTC+02:00: the clocks change during this plan; a time after a change shows its offset)',
    );
    expect(stdout).toMatch(/#\s+local\s+UTC\s+step\s+title/);
    expect(row(stdout, 'first')).toEqual(['1', '01:30 +01:00', '00:30', 'first', 'First']);
    expect(row(stdout, 'second')).toEqual(['2', '03:30 +02:00', '01:30', 'second', 'Second']);
    expect(row(stdout, 'third')).toEqual(['3', '04:30 +02:00', '02:30', 'third', 'Third']);
    expect(stdout).toContain('Escalation, if an incident opens at 04:30 +02:00 (02:30 UTC)');
    expect(stdout).toContain('2026-03-30 04:30 +02:00  First day');
    const json = JSON.parse((await plan('--json', '--start', '2026-03-29T01:00:00+01:00')).stdout);
    expect(json.steps.map((s: { at: unknown }) => s.at)).toEqual([
      { local: '2026-03-29T01:30:00+01:00', utc: '2026-03-29T00:30:00Z' },
      { local: '2026-03-29T03:30:00+02:00', utc: '2026-03-29T01:30:00Z' },
      { local: '2026-03-29T04:30:00+02:00', utc: '2026-03-29T02:30:00Z' },
    ]);
  });

  it('late October (clocks go back): the UTC time of the day before carries its date', async () => {
    const { stdout } = await plan('--start', '2026-10-25T01:00:00+02:00');
    expect(stdout).toContain('Europe/Berlin (UTC+02:00 at the start, then UTC+01:00');
    expect(row(stdout, 'first')).toEqual(['1', '01:30 +02:00', '2026-10-24 23:30', 'first', 'First']);
    expect(row(stdout, 'second')).toEqual(['2', '03:30 +01:00', '02:30', 'second', 'Second']);
    expect(row(stdout, 'third')).toEqual(['3', '04:30 +01:00', '03:30', 'third', 'Third']);
  });

  it('a plan the clocks do not change in keeps one offset in the heading', async () => {
    const { stdout } = await plan('--start', '2026-01-07T01:00:00+01:00');
    expect(stdout).toContain('Time zone  Europe/Berlin (UTC+01:00)\n');
    expect(stdout).toMatch(/#\s+local \+01:00\s+UTC\s+step\s+title/);
    expect(row(stdout, 'second')).toEqual(['2', '03:30', '02:30', 'second', 'Second']);
  });
});
