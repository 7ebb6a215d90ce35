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
  /** The local time, with its offset when the clocks have changed since the start. */
  readonly clock: (t: PlanTime) => string;
  /** The local time alone. */
  readonly localOnly: (t: PlanTime) => string;
  /** The UTC time, its date too when that is not the start's day. */
  readonly utcOnly: (t: PlanTime) => string;
  readonly both: (t: PlanTime) => string;
}

/** A time's UTC offset as ISO 8601 writes it, e.g. +08:00 (Z for UTC). */
const offsetOf = (t: PlanTime): string => t.local.slice(19) || 'Z';

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
  const localOnly = (t: PlanTime): string => {
    const day = t.local.slice(0, 10);
    return day === startDay ? t.local.slice(11, end) : `${day} ${t.local.slice(11, end)}`;
  };
  const clock = (t: PlanTime): string =>
    offsetOf(t) === offsetOf(plan.start) ? localOnly(t) : `${localOnly(t)} ${offsetOf(t)}`;
  const utcOnly = (t: PlanTime): string => {
    const day = t.utc.slice(0, 10);
    const time = t.utc.slice(11, end);
    return day === startDay ? time : `${day} ${time}`;
  };
  return { clock, localOnly, utcOnly, both: (t) => `${clock(t)} (${utcOnly(t)} UTC)` };
}

/** Every time the plan shows, in order: the start, the steps, then what follows them. */
function planTimes(plan: Plan): PlanTime[] {
  return [
    plan.start,
    ...plan.steps.map((s) => s.at),
    plan.finish,
    ...plan.monitoring.flatMap((m) => [m.from, m.to]),
    ...plan.success.map((c) => c.at),
    ...plan.escalation.levels.map((l) => l.at),
  ].sort((a, b) => Date.parse(a.utc) - Date.parse(b.utc));
}

/** The zone's offset at the start, and the offsets after each clock change the plan's times cross. */
function describeZone(plan: Plan): string {
  const offsets = [offsetOf(plan.start)];
  for (const t of planTimes(plan)) {
    const offset = offsetOf(t);
    if (offset !== offsets[offsets.length - 1]) offsets.push(offset);
  }
  if (offsets.length === 1) return `${plan.timezone} (UTC${offsets[0]})`;
  const later = offsets.slice(1).map((o) => `UTC${o}`);
  return `${plan.timezone} (UTC${offsets[0]} at the start, then ${later.join(', then ')}: the clocks change during this plan; a time after a change shows its offset)`;
}

function renderHeader(plan: Plan, { both }: Clocks): string[] {
  const rows: string[][] = [
    ['Time zone', describeZone(plan)],
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

function renderGatesAndSteps(plan: Plan, { localOnly, utcOnly }: Clocks): string[] {
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
  // One offset heads the local column; when the clocks change between the steps, each time carries its own.
  const offsets = new Set(plan.steps.map((s) => offsetOf(s.at)));
  const single = offsets.size <= 1 ? (offsets.values().next().value ?? offsetOf(plan.start)) : undefined;
  const local = (t: PlanTime): string =>
    single === undefined ? `${localOnly(t)} ${offsetOf(t)}` : localOnly(t);
  lines.push('', 'Steps');
  const rows: string[][] = [
    ['#', single === undefined ? 'local' : `local ${single}`, 'UTC', 'step', 'title'],
  ];
  plan.steps.forEach((step, i) => {
    const gates = step.needs.length > 0 ? ` [after gates: ${step.needs.join(', ')}]` : '';
    const late = step.afterWindow
      ? ' ⚠ after the window closes: not started on its own, the deployment asks for a /deploy decide first'
      : '';
    rows.push([
      step.label ?? String(i + 1),
      local(step.at),
      utcOnly(step.at),
      step.id,
      `${step.title}${gates}${late}`,
    ]);
    const retry = retryText(step);
    const verify = step.verify ? ` · verify: ${describeCommand(step.verify)}` : '';
    rows.push(['', '', '', '', `run: ${describeCommand(step.command)}${verify}`]);
    rows.push(['', '', '', '', `timeout ${step.timeout} · on failure: ${step.onFailure} · ${retry}`]);
  });
  return [...lines, ...formatTable(rows)];
}

/** Whether a step may run again, and how often it is retried when it fails. */
function retryText(step: { readonly idempotent: boolean; readonly retries: number }): string {
  return step.idempotent
    ? `idempotent, ${step.retries} retr${step.retries === 1 ? 'y' : 'ies'}`
    : 'not idempotent';
}

/** The marks of a rollback step that runs differently from the others. */
function rollbackMarks(step: NonNullable<Plan['rollback']>['steps'][number]): string {
  return [
    step.confirm ? ' [asks first: a person chooses to run or skip it]' : '',
    step.optional ? ' [optional: its failure does not fail the rollback]' : '',
  ].join('');
}

function renderAfter(plan: Plan, { clock, both }: Clocks): string[] {
  const last = plan.steps.at(-1)?.id;
  const lines = [
    '',
    `Post-deployment, from ${both(plan.finish)} at the earliest: it starts once ${last ? `the last step (${last}) has finished` : 'the deployment starts'} and any health verification passed; the times below count from then`,
  ];
  for (const m of plan.monitoring) {
    const checks = m.checks.length > 0 ? ` · every ${m.every}: ${m.checks.join(', ')}` : '';
    lines.push(`  ${m.title ?? m.id ?? ''}: ${clock(m.from)}–${clock(m.to)}${checks}`);
    for (const task of m.tasks)
      lines.push(
        `    - ${task.title}${task.ownerRefs.length > 0 ? ` — owner: ${task.ownerRefs.join(', ')}` : ''}`,
      );
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
        plan.rollback.steps.flatMap((s, i) => [
          [
            `${i + 1}.`,
            s.id,
            `${s.title ? `${s.title}: ` : ''}${describeCommand(s.command)}${rollbackMarks(s)}`,
          ],
          ['', '', `${s.verify ? `verify: ${describeCommand(s.verify)} · ` : ''}${retryText(s)}`],
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
  const contact = plan.emergency.contact;
  const reach = contact ? [contact.channel, contact.phone].filter((v) => v !== undefined && v !== '') : [];
  if (plan.emergency.stop || plan.emergency.logs || reach.length > 0) {
    lines.push('', 'Emergency');
    if (plan.emergency.stop) lines.push(`  stop: ${describeCommand(plan.emergency.stop)}`);
    if (plan.emergency.logs) lines.push(`  logs: ${describeCommand(plan.emergency.logs)}`);
    if (reach.length > 0) lines.push(`  contact: ${reach.join(' · ')}`);
  }
  if (plan.contacts.length > 0) {
    lines.push('', 'Contacts');
    lines.push(
      ...formatTable(
        plan.contacts.map((c) => [
          c.team,
          [c.email, c.channel, c.phone].filter((v) => v !== undefined && v !== '').join(' · '),
        ]),
      ),
    );
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
