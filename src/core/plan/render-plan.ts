/** Renders a plan as plain text lines, for the terminal and for chat. */
import { countOf } from '../count-words.ts';
import type { Plan, PlanCommand, PlanPerson, PlanTime } from './plan-types.ts';
import { formatTable } from './text-table.ts';

const names = (people: readonly PlanPerson[]): string =>
  people.length === 0 ? 'nobody' : people.map((p) => `${p.name}${p.placeholder ? '*' : ''}`).join(', ');

function describeExpect(expect: Readonly<Record<string, unknown>>): string {
  return Object.entries(expect)
    .map(([key, value]) => {
      const shown =
        typeof value === 'object' && value !== null && 'text' in value
          ? String(value.text)
          : JSON.stringify(value);
      return `${key} ${shown}`;
    })
    .join(', ');
}

/** One line for a command: its first line of script (or argv) and its expectation. */
export function describeCommand(cmd: PlanCommand): string {
  const lines = (cmd.run ?? '')
    .trim()
    .split('\n')
    .filter((l) => l.trim() !== '' && !l.trim().startsWith('#'));
  const more = lines.length > 1 ? ` (+${lines.length - 1} more line${lines.length > 2 ? 's' : ''})` : '';
  const text = cmd.argv ? cmd.argv.join(' ') : `${lines[0] ?? ''}${more}`;
  return cmd.expect ? `${text} · expect ${describeExpect(cmd.expect)}` : text;
}

interface Clocks {
  readonly clock: (t: PlanTime) => string;
  readonly utcOnly: (t: PlanTime) => string;
  readonly both: (t: PlanTime) => string;
}

/** Seconds are shown when the plan's times are seconds apart (a sandbox runbook), not whole minutes. */
function needsSeconds(plan: Plan): boolean {
  const ms = (t: PlanTime) => Date.parse(t.utc);
  const finish = ms(plan.finish);
  const steps = plan.steps.map((s) => ms(s.at));
  const gaps = [
    ...steps.slice(1).map((t, i) => t - (steps[i] ?? t)),
    ...plan.monitoring.flatMap((m) => [ms(m.from) - finish, ms(m.to) - finish]),
    ...plan.success.map((c) => ms(c.at) - finish),
    ...plan.escalation.levels.map((l) => ms(l.at) - finish),
  ];
  return gaps.some((gap) => gap % 60_000 !== 0);
}

function makeClocks(plan: Plan): Clocks {
  const startDay = plan.start.local.slice(0, 10);
  const end = needsSeconds(plan) ? 19 : 16;
  const clock = (t: PlanTime): string => {
    const day = t.local.slice(0, 10);
    return day === startDay ? t.local.slice(11, end) : `${day} ${t.local.slice(11, end)}`;
  };
  const utcOnly = (t: PlanTime): string => t.utc.slice(11, end);
  const utcClock = (t: PlanTime): string => {
    const day = t.utc.slice(0, 10);
    return day === startDay ? `${utcOnly(t)} UTC` : `${day} ${utcOnly(t)} UTC`;
  };
  return { clock, utcOnly, both: (t) => `${clock(t)} (${utcClock(t)})` };
}

function renderHeader(plan: Plan, { both }: Clocks): string[] {
  const offset = plan.start.local.slice(19) || 'Z';
  const rows: string[][] = [
    ['Time zone', `${plan.timezone} (UTC${offset})`],
    ['Start', `${plan.start.local.slice(0, 10)} ${both(plan.start)}`],
  ];
  if (plan.window) {
    const w = plan.window;
    const when = w.dates ? ` on ${w.dates.join(', ')}` : w.days ? ` on ${w.days.join(', ')}` : ' every day';
    const status = w.openAtStart
      ? 'open at the start'
      : w.span
        ? `CLOSED at the start; next opens ${both(w.span.opens)}`
        : 'CLOSED at the start, and no later window is left';
    const outside =
      w.outside === 'override' ? `outside it: needs gate ${w.overrideGate}` : 'outside it: refused';
    rows.push(['Window', `${w.start}–${w.end}${when}: ${status} (${outside})`]);
  }
  if (plan.requiredEnv.length > 0) {
    rows.push(['Requires', `${plan.requiredEnv.join(', ')} (checked present; values never shown)`]);
  }
  const version = plan.version ? ` ${plan.version}` : '';
  return [
    `Plan: ${plan.service}${version} → ${plan.environment}${plan.title ? ` — ${plan.title}` : ''}`,
    ...formatTable(rows),
  ];
}

function renderChecklist(plan: Plan): string[] {
  const lines = [
    '',
    `Checklist (${countOf(plan.checklist.length, 'item')}: ✅ by the owner, or run and checked)`,
  ];
  const sections = [...new Set(plan.checklist.map((i) => i.section ?? ''))];
  for (const section of sections) {
    if (section) lines.push(`  ${section}`);
    const rows = plan.checklist
      .filter((i) => (i.section ?? '') === section)
      .map((i) =>
        i.kind === 'manual'
          ? ['[ ]', i.id, `${i.title} — owner: ${i.ownerRefs.join(', ')}`]
          : ['[>]', i.id, `${i.title} — run: ${describeCommand(i.command ?? {})}`],
      );
    lines.push(...formatTable(rows, '    '));
  }
  return lines;
}

function renderGatesAndSteps(plan: Plan, { clock, utcOnly }: Clocks): string[] {
  const lines = ['', `Gates (${plan.gates.length})`];
  lines.push(
    ...formatTable(
      plan.gates.map((g) => [
        g.id,
        g.title,
        `${g.required} of ${g.approvers.length}: ${names(g.approvers)}${g.expires ? ` · expires ${g.expires}` : ''}`,
      ]),
    ),
  );
  const offset = plan.start.local.slice(19) || 'Z';
  lines.push('', 'Steps');
  const rows: string[][] = [['#', `local ${offset}`, 'UTC', 'step', 'title']];
  plan.steps.forEach((step, i) => {
    const gates = step.needs.length > 0 ? ` [after gates: ${step.needs.join(', ')}]` : '';
    const late = step.afterWindow
      ? ' ⚠ after the window closes: not started on its own, the deployment asks for a /deploy decide first'
      : '';
    rows.push([
      step.label ?? String(i + 1),
      clock(step.at),
      utcOnly(step.at),
      step.id,
      `${step.title}${gates}${late}`,
    ]);
    const retry = step.idempotent
      ? `idempotent, ${step.retries} retr${step.retries === 1 ? 'y' : 'ies'}`
      : 'not idempotent';
    rows.push(['', '', '', '', `timeout ${step.timeout} · on failure: ${step.onFailure} · ${retry}`]);
  });
  return [...lines, ...formatTable(rows)];
}

/** The marks of a rollback step that runs differently from the others. */
function rollbackMarks(step: NonNullable<Plan['rollback']>['steps'][number]): string {
  return [
    step.confirm ? ' [asks first: a person chooses to run or skip it]' : '',
    step.optional ? ' [optional: its failure does not fail the rollback]' : '',
  ].join('');
}

function renderAfter(plan: Plan, { clock, both }: Clocks): string[] {
  const lines = ['', `Post-deployment, from ${both(plan.finish)}`];
  for (const m of plan.monitoring) {
    const checks = m.checks.length > 0 ? ` · every ${m.every}: ${m.checks.join(', ')}` : '';
    lines.push(`  ${m.title ?? m.id ?? ''}: ${clock(m.from)}–${clock(m.to)}${checks}`);
    for (const task of m.tasks) lines.push(`    - ${task.title}`);
  }
  if (plan.success.length > 0) {
    lines.push('', 'Success criteria');
    for (const c of plan.success) {
      lines.push(
        `  ${clock(c.at)}  ${c.title}${c.require.length > 0 ? ` · checks: ${c.require.join(', ')}` : ''}`,
      );
      for (const text of c.criteria) lines.push(`    - ${text}`);
    }
  }
  if (plan.rollback) {
    lines.push('', `Rollback (approval: ${plan.rollback.required} of ${names(plan.rollback.approvers)})`);
    lines.push(
      ...formatTable(
        plan.rollback.triggers.map((t) => [
          'trigger',
          t.id,
          `${t.title ? `${t.title}: ` : ''}${t.condition}`,
        ]),
      ),
    );
    lines.push(
      ...formatTable(
        plan.rollback.steps.map((s, i) => [
          `${i + 1}.`,
          s.id,
          `${describeCommand(s.command)}${rollbackMarks(s)}`,
        ]),
      ),
    );
  }
  return lines;
}

function renderEscalation(plan: Plan, { both }: Clocks): string[] {
  const lines = ['', `Escalation, if an incident opens at ${both(plan.escalation.incidentAt)}`];
  const levels = plan.escalation.levels;
  const rows = levels.map((level, i) => {
    const repeat = i > 0 && level.id === levels[i - 1]?.id;
    const every = plan.escalation.repeatLastEvery ? `, then every ${plan.escalation.repeatLastEvery}` : '';
    const who = repeat
      ? `${level.id} again${every}, until someone answers`
      : `${level.id}${level.title ? ` ${level.title}` : ''}: ${names(level.notify)} via ${level.via.join(', ')} · respond within ${level.respondWithin}`;
    return [level.after === '+0s' ? 'at once' : level.after, both(level.at), who];
  });
  lines.push(...formatTable(rows));
  if (plan.emergency.stop || plan.emergency.logs) {
    lines.push('', 'Emergency');
    if (plan.emergency.stop) lines.push(`  stop: ${describeCommand(plan.emergency.stop)}`);
    if (plan.emergency.logs) lines.push(`  logs: ${describeCommand(plan.emergency.logs)}`);
  }
  return lines;
}

/** Renders the plan as text. Times show the runbook's zone and UTC. */
export function renderPlan(plan: Plan): string[] {
  const clocks = makeClocks(plan);
  const lines = [
    ...renderHeader(plan, clocks),
    ...renderChecklist(plan),
    ...renderGatesAndSteps(plan, clocks),
    ...renderAfter(plan, clocks),
    ...renderEscalation(plan, clocks),
  ];
  const everyone = [
    ...plan.gates.flatMap((g) => g.approvers),
    ...plan.escalation.levels.flatMap((l) => l.notify),
  ];
  if (everyone.some((p) => p.placeholder))
    lines.push('', '* placeholder person: replace the chat and pager ids before real use');
  return lines;
}
