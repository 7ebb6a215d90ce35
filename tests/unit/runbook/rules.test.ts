/** Semantic rules and helpers the broken corpus does not pin down: warnings, suggestions, group expansion. */
import { describe, expect, it } from 'vitest';
import { parse, stringify } from 'yaml';
import { describePeople, formatDiagnostic, parseRunbook, resolvePeople } from '../../../src/core/index.ts';
import { checkClockGaps } from '../../../src/core/runbook/rules-clock-gaps.ts';
import { checkClockRepeats } from '../../../src/core/runbook/rules-clock-repeats.ts';
import { findGroupCycle } from '../../../src/core/runbook/rules-references.ts';
import { findInvalidUtf8 } from '../../../src/core/runbook/runbook-bytes.ts';
import { hintFor, suggestClock, suggestDuration } from '../../../src/core/runbook/scalar-hints.ts';
import { didYouMean, suggest } from '../../../src/core/runbook/suggest.ts';
import { everyMachineZone, inMachineZones } from '../../helpers/machine-zone.ts';

const BASE = `version: 1
service: shop
timezone: Europe/Berlin
environments: { production: { default: true } }
channels: { deploy: "#deployments", incident: "#incidents" }
people:
  ana: { name: Ana Lima, slack: U01ANA, pagerduty: PANA }
  ben: { name: Ben Okafor, slack: U01BEN, pagerduty: PBEN }
  eva: { name: Eva Novak, slack: U01EVA, pagerduty: PEVA }
groups: { devops: [ana, ben], security: [eva] }
permissions: { deploy: [devops], rollback: [devops] }
gates:
  security: { approvers: [security] }
steps:
  - { id: deploy, title: Deploy, needs: [security], run: ./deploy.sh }
escalation:
  levels:
    - { id: L1, notify: [devops], respond_within: 15m }
`;

type Data = Record<string, unknown>;

/** The base runbook with changes applied to its data, as YAML text. */
function variant(change: (data: Data) => void): string {
  const data = parse(BASE) as Data;
  change(data);
  return stringify(data);
}

/** Every diagnostic of a runbook text, formatted, errors first. */
function diagnose(text: string): string[] {
  const result = parseRunbook(text, 'r.yaml');
  return [...result.errors, ...result.warnings].map(formatDiagnostic);
}

const messages = (text: string): string[] =>
  diagnose(text).map((line) => line.replace(/^r\.yaml:\d+:\d+: /, ''));

/** The runbook a text parses to; the test fails where it does not parse. */
function parsed(text: string) {
  const runbook = parseRunbook(text, 'r.yaml').runbook;
  if (!runbook) throw new Error('the runbook did not parse');
  return runbook;
}

/** The clock checks look ahead from here: 1 June 2026. */
const JUNE_2026 = Date.UTC(2026, 5, 1);

/** Steps at these clock times, one a time, each behind the security gate. */
const stepsAt = (times: string[]) =>
  times.map((time, i) => ({ id: `s${i}`, title: `S${i}`, needs: ['security'], at: time, run: 'true' }));

/** Problems as `path: message`. */
const said = (problems: ReturnType<typeof checkClockGaps>) =>
  problems.map((p) => `${p.path.join('.')}: ${p.message}`);

describe('the base runbook of these tests', () => {
  it('is valid and has no warnings', () => {
    expect(diagnose(BASE)).toEqual([]);
    expect(parseRunbook(BASE, 'r.yaml').runbook?.service).toBe('shop');
  });
});

describe('waits, intervals and time limits', () => {
  it('refuses 0s where it would repeat at once or mean no limit', () => {
    const zero = variant((d) => {
      const levels = (d.escalation as Data).levels as Data[];
      (levels[0] as Data).respond_within = '0s';
      (d.escalation as Data).repeat_last_every = '0s';
      ((d.gates as Data).security as Data).remind_every = '0s';
      ((d.gates as Data).security as Data).expires = '0s';
      ((d.steps as Data[])[0] as Data).timeout = '0s';
    });
    const found = messages(zero);
    expect(found).toHaveLength(5);
    for (const field of ['respond_within', 'repeat_last_every', 'remind_every', 'expires', 'timeout'])
      expect(found.find((m) => m.includes(`.${field}: must be longer than 0s`))).toBeDefined();
    const oneSecond = messages(zero.replaceAll("'0s'", '1s').replaceAll(': 0s', ': 1s'));
    expect(oneSecond.filter((m) => m.includes('longer than 0s'))).toEqual([]);
  });
});

describe('chat accounts', () => {
  it('refuses two people with one Slack or Discord id, at the second one, naming the first', () => {
    const text = variant((d) => {
      const people = d.people as Record<string, Data>;
      people.ben = { ...people.ben, slack: 'U01ANA', discord: '200000000000000001' };
      people.eva = { ...people.eva, discord: '200000000000000001' };
    });
    const result = parseRunbook(text, 'r.yaml');
    expect(result.runbook).toBeUndefined();
    expect(result.errors.map(formatDiagnostic)).toEqual([
      'r.yaml:17:12: ben has the slack id "U01ANA" of ana; each person needs their own, or Preflight cannot tell who approved',
      'r.yaml:24:14: eva has the discord id "200000000000000001" of ben; each person needs their own, or Preflight cannot tell who approved',
    ]);
  });

  it('refuses an empty Slack or PagerDuty id, which chat and pages would be sent to, saying to write it or leave it out', () => {
    const text = variant((d) => {
      const people = d.people as Record<string, Data>;
      people.ben = { ...people.ben, slack: '', discord: '200000000000000002' };
      people.eva = { ...people.eva, pagerduty: ' ' };
    });
    const result = parseRunbook(text, 'r.yaml');
    expect(result.runbook).toBeUndefined();
    expect(result.errors.map(formatDiagnostic)).toEqual([
      'r.yaml:17:12: people.ben.slack: write their Slack user id (e.g. U01ABCDEF), or leave slack out for someone without one; found ""',
      'r.yaml:23:16: people.eva.pagerduty: write their PagerDuty user id (e.g. PABC123), or leave pagerduty out for someone without one; found " "',
    ]);
  });
});

describe('warnings', () => {
  it('warns about a gate no step needs, at the gate key, without failing the runbook', () => {
    const text = variant((d) => {
      (d.gates as Data).unused = { approvers: ['eva'] };
    });
    const result = parseRunbook(text, 'r.yaml');
    expect(result.runbook).toBeDefined();
    expect(result.errors).toEqual([]);
    expect(result.warnings.map(formatDiagnostic)).toEqual([
      `r.yaml:${text.split('\n').findIndex((l) => l.includes('unused:')) + 1}:3: warning: gate "unused" is not needed by any step, so nothing waits for it; list it in a step's "needs", or remove it`,
    ]);
  });

  it('counts the window override gate as needed', () => {
    const text = variant((d) => {
      d.window = { start: '14:00', end: '16:00', outside: 'override', override_gate: 'late' };
      (d.gates as Data).late = { approvers: ['eva'] };
    });
    expect(diagnose(text)).toEqual([]);
  });

  it('warns when a gate needs every approver and one of them may deploy, unless allow_self', () => {
    const strict = variant((d) => {
      (d.gates as Data).security = { approvers: ['ana'] };
    });
    expect(messages(strict)).toEqual([
      'warning: gate "security" needs every approver (1 of 1); if one of them requests the deployment it cannot pass',
    ]);
    const self = variant((d) => {
      (d.gates as Data).security = { approvers: ['ana'], allow_self: true };
    });
    expect(diagnose(self)).toEqual([]);
  });

  it('warns about a step offset that falls after the window has closed, even from its opening', () => {
    const text = variant((d) => {
      d.window = { start: '14:00', end: '16:00' };
      d.steps = [{ id: 'deploy', title: 'Deploy', needs: ['security'], at: '+3h', run: './deploy.sh' }];
    });
    expect(messages(text)).toEqual([
      'warning: step time +3h comes after the 2h deployment window 14:00–16:00 has closed, even for a deployment started as it opens',
    ]);
    const inside = variant((d) => {
      d.window = { start: '22:00', end: '02:00' };
      d.steps = [{ id: 'deploy', title: 'Deploy', needs: ['security'], at: '+3h', run: './deploy.sh' }];
    });
    expect(diagnose(inside)).toEqual([]);
  });

  it('warns about a step time the clocks skip on the night they go forward, naming the date', () => {
    const at = (zone: string, times: string[]) => {
      const text = variant((d) => {
        d.timezone = zone;
        d.window = { start: '01:00', end: '04:00' };
        d.steps = stepsAt(times);
      });
      return said(checkClockGaps(parsed(text), JUNE_2026));
    };
    // The warning says what a deployment does that night, whatever the zone of the machine that validates.
    expect(inMachineZones(() => at('Europe/Berlin', ['01:30', '02:30', '03:15']))).toEqual(
      everyMachineZone([
        'steps.1.at: step time 02:30 does not exist on 2026-03-29 in Europe/Berlin (the clocks go forward); a deployment that day starts it at 03:30, which may be after the next step',
      ]),
    );
    // New York's clocks go forward at 02:00; Havana's at midnight, the same night: 02:30 is a real Havana time.
    expect(inMachineZones(() => at('America/Havana', ['02:30']))).toEqual(everyMachineZone([]));
    expect(at('Asia/Shanghai', ['01:30', '02:30'])).toEqual([]);
    expect(at('Europe/Berlin', ['01:30', '03:15'])).toEqual([]);
  });

  it('warns about a step time the clocks show twice on the night they go back, naming the occurrence used', () => {
    const at = (zone: string, times: string[]) => {
      const text = variant((d) => {
        d.timezone = zone;
        d.window = { start: '00:30', end: '04:00' };
        d.steps = stepsAt(times);
      });
      return said(checkClockRepeats(parsed(text), JUNE_2026));
    };
    expect(inMachineZones(() => at('Europe/Berlin', ['01:30', '02:30', '03:15']))).toEqual(
      everyMachineZone([
        'steps.1.at: step time 02:30 comes twice on 2026-10-25 in Europe/Berlin (the clocks go back 1h); a deployment that day starts it at the first 02:30 (+02:00), or at the second (+01:00) if it began after the first, so the steps either side of it may be 1h further apart than their times say',
      ]),
    );
    // New York repeats 01:00–02:00: 02:30 comes once there, 01:30 twice.
    expect(at('America/New_York', ['02:30'])).toEqual([]);
    expect(at('America/New_York', ['01:30'])).toHaveLength(1);
    expect(at('Asia/Shanghai', ['02:30'])).toEqual([]);
  });

  it('warns about a deployment window that opens in the gap the clocks skip, saying when it opens that day', () => {
    const windowIn = (start: string, end: string) => {
      const text = variant((d) => {
        d.window = { start, end };
      });
      return said(checkClockGaps(parsed(text), JUNE_2026));
    };
    expect(inMachineZones(() => windowIn('02:10', '02:50'))).toEqual(
      everyMachineZone([
        'window.start: the window 02:10–02:50 lies wholly in the time the clocks skip on 2026-03-29 in Europe/Berlin (the clocks go forward); that day it is open 03:10–03:50 instead',
      ]),
    );
    expect(windowIn('02:30', '03:00')).toEqual([
      'window.start: the window 02:30–03:00 opens at 02:30, which does not exist on 2026-03-29 in Europe/Berlin (the clocks go forward); that day it never opens',
    ]);
    expect(windowIn('01:00', '04:00')).toEqual([]);
    // And the whole runbook check points at the line and column of the window's start.
    const text = variant((d) => {
      d.window = { start: '02:10', end: '02:50' };
    });
    expect(diagnose(text).filter((l) => l.includes('clocks skip'))).toEqual([
      expect.stringMatching(
        /^r\.yaml:\d+:\d+: warning: the window 02:10–02:50 lies wholly in the time the clocks skip on \d{4}-03-\d\d in Europe\/Berlin/,
      ),
    ]);
  });

  describe('a deployment window that closes when the clocks change (Europe/Berlin)', () => {
    // Each window is open every day; 2026-03-29 skips 02:00–03:00 and 2026-10-25 repeats it.
    const closing = (start: string, end: string) => {
      const text = variant((d) => {
        d.window = { start, end };
      });
      const runbook = parseRunbook(text, 'r.yaml').runbook;
      if (!runbook) throw new Error('the runbook did not parse');
      const now = Date.UTC(2026, 5, 1);
      return [...checkClockGaps(runbook, now), ...checkClockRepeats(runbook, now)].map(
        (p) => `${p.path.join('.')}: ${p.message}`,
      );
    };

    it('warns about an end the clocks skip, saying when it closes that day (as long after it opens as written)', () => {
      expect(inMachineZones(() => closing('22:00', '02:30').slice(0, 1))).toEqual(
        everyMachineZone([
          'window.end: the window 22:00–02:30 closes at 02:30, which does not exist on 2026-03-29 in Europe/Berlin (the clocks go forward); that day it closes at 03:30 instead, 4h30m after it opens',
        ]),
      );
      expect(closing('01:00', '02:30').slice(0, 1)).toEqual([
        'window.end: the window 01:00–02:30 closes at 02:30, which does not exist on 2026-03-29 in Europe/Berlin (the clocks go forward); that day it closes at 03:30 instead, 1h30m after it opens',
      ]);
    });

    it('warns about an end the clocks show twice, saying it closes at the first', () => {
      expect(inMachineZones(() => closing('22:00', '02:30').slice(1))).toEqual(
        everyMachineZone([
          'window.end: the window 22:00–02:30 closes at 02:30, which comes twice on 2026-10-25 in Europe/Berlin (the clocks go back 1h); that day it closes at the first 02:30 (+02:00), not at the second (+01:00) 1h later',
        ]),
      );
      expect(closing('01:00', '02:30').slice(1)).toEqual([
        'window.end: the window 01:00–02:30 closes at 02:30, which comes twice on 2026-10-25 in Europe/Berlin (the clocks go back 1h); that day it closes at the first 02:30 (+02:00), not at the second (+01:00) 1h later',
      ]);
    });

    it('says nothing of a window that closes before, as or after the clocks change', () => {
      for (const [start, end] of [
        ['14:00', '16:00'],
        ['22:00', '01:30'],
        ['22:00', '02:00'],
        ['01:00', '03:00'],
        ['00:30', '04:00'],
        ['03:00', '05:00'],
      ] as const)
        expect(closing(start, end), `${start}–${end}`).toEqual([]);
    });

    it('leaves a window wholly in the skipped hour to the warning at its start', () => {
      expect(closing('02:10', '02:50').map((w) => w.split(' on ')[0])).toEqual([
        'window.start: the window 02:10–02:50 lies wholly in the time the clocks skip',
        'window.end: the window 02:10–02:50 closes at 02:50, which comes twice',
      ]);
    });

    it('points at the line and column of the window end', () => {
      const text = variant((d) => {
        d.window = { start: '22:00', end: '02:30' };
      });
      const line = text.split('\n').findIndex((l) => l.includes('end: 02:30')) + 1;
      const column = (text.split('\n')[line - 1] ?? '').indexOf('02:30') + 1;
      expect(diagnose(text).map((l) => l.split(', which')[0])).toEqual([
        `r.yaml:${line}:${column}: warning: the window 22:00–02:30 closes at 02:30`,
        `r.yaml:${line}:${column}: warning: the window 22:00–02:30 closes at 02:30`,
      ]);
    });
  });

  describe('daylight-saving warnings look only at days the window is open', () => {
    // Europe/Berlin goes forward on 2026-03-29 and 2028-03-26 and back on 2026-10-25 and 2028-10-29, all Sundays.
    const warnings = (window: Data, times: string[]) => {
      const text = variant((d) => {
        d.window = window;
        if (times.length > 0) d.steps = stepsAt(times);
      });
      const runbook = parsed(text);
      return said([...checkClockGaps(runbook, JUNE_2026), ...checkClockRepeats(runbook, JUNE_2026)]).map(
        (line) => line.split(' in Europe/Berlin')[0],
      );
    };

    it('says nothing of a change on a day the window is shut', () => {
      expect(warnings({ start: '01:00', end: '04:00', days: ['tue', 'thu'] }, ['02:30'])).toEqual([]);
      expect(warnings({ start: '02:30', end: '04:00', days: ['tue', 'thu'] }, [])).toEqual([]);
      expect(
        warnings({ start: '01:00', end: '04:00', dates: ['2026-03-30', '2026-10-24'] }, ['02:30']),
      ).toEqual([]);
      // Past midnight, a 02:30 step of a window that opens on Sunday night falls on Monday.
      expect(warnings({ start: '22:00', end: '04:00', days: ['sun'] }, ['02:30'])).toEqual([]);
      // And so does its end.
      expect(warnings({ start: '22:00', end: '02:30', days: ['sun'] }, [])).toEqual([]);
      expect(warnings({ start: '01:00', end: '02:30', days: ['sat'] }, [])).toEqual([]);
    });

    it('names a change on a day the window is open, or the day after for a time past midnight', () => {
      expect(warnings({ start: '01:00', end: '04:00', days: ['sun'] }, ['02:30'])).toEqual([
        'steps.0.at: step time 02:30 does not exist on 2026-03-29',
        'steps.0.at: step time 02:30 comes twice on 2026-10-25',
      ]);
      expect(warnings({ start: '22:00', end: '04:00', days: ['sat'] }, ['02:30'])).toEqual([
        'steps.0.at: step time 02:30 does not exist on 2026-03-29',
        'steps.0.at: step time 02:30 comes twice on 2026-10-25',
      ]);
      expect(warnings({ start: '02:30', end: '04:00', days: ['sun'] }, [])).toEqual([
        'window.start: the window 02:30–04:00 opens at 02:30, which does not exist on 2026-03-29',
      ]);
      expect(warnings({ start: '22:00', end: '02:30', days: ['sat'] }, [])).toEqual([
        'window.end: the window 22:00–02:30 closes at 02:30, which does not exist on 2026-03-29',
        'window.end: the window 22:00–02:30 closes at 02:30, which comes twice on 2026-10-25',
      ]);
    });

    it('names a change on one of the window dates, however far ahead', () => {
      expect(
        warnings({ start: '01:00', end: '04:00', dates: ['2028-03-26', '2028-10-29'] }, ['02:30']),
      ).toEqual([
        'steps.0.at: step time 02:30 does not exist on 2028-03-26',
        'steps.0.at: step time 02:30 comes twice on 2028-10-29',
      ]);
      expect(warnings({ start: '02:30', end: '04:00', dates: ['2028-03-26'] }, [])).toEqual([
        'window.start: the window 02:30–04:00 opens at 02:30, which does not exist on 2028-03-26',
      ]);
      expect(warnings({ start: '22:00', end: '02:30', dates: ['2028-03-25', '2028-10-28'] }, [])).toEqual([
        'window.end: the window 22:00–02:30 closes at 02:30, which does not exist on 2028-03-26',
        'window.end: the window 22:00–02:30 closes at 02:30, which comes twice on 2028-10-29',
      ]);
    });
  });

  it('warns when a gate expires before its first reminder', () => {
    const text = variant((d) => {
      (d.gates as Data).security = { approvers: ['security'], expires: '10m', remind_every: '15m' };
    });
    expect(messages(text)).toEqual(['warning: gate "security" expires before its first reminder']);
  });

  it('warns about a credential written into an env mapping, wherever the mapping is', () => {
    const text = variant((d) => {
      d.env = { API_TOKEN: 'abc123def', GATEWAY_PORT: 8080, PASSWORD_MIN_LENGTH: 12, EMPTY_SECRET: '' };
      d.environments = {
        production: { default: true, env: { DB_URL: 'postgres://app:hunter22@db:5432/app' } },
      };
      d.steps = [
        {
          id: 'deploy',
          title: 'Deploy',
          needs: ['security'],
          run: './deploy.sh',
          env: { GITHUB: 'ghp_abcdefghijklmnopqrstuvwxyz0123456789', MODE: 'fast' },
        },
      ];
    });
    const shown = parseRunbook(text, 'r.yaml').warnings.map((w) => w.message.split(':')[0]);
    expect(shown.sort()).toEqual([
      'env API_TOKEN looks like a credential written in the runbook',
      'env DB_URL looks like a credential written in the runbook',
      'env GITHUB looks like a credential written in the runbook',
    ]);
    expect(messages(text).join('\n')).toContain('list API_TOKEN under requires.env');
  });

  it('warns about a credential written into a command, and not about one a variable holds', () => {
    const text = variant((d) => {
      d.steps = [
        {
          id: 'deploy',
          title: 'Deploy',
          needs: ['security'],
          run: "curl -H 'Authorization: Bearer sk_live_abcdefghijklmnop1234' https://deploy.example/",
          verify: 'curl -fsS -H "Authorization: Bearer $DEPLOY_TOKEN" https://deploy.example/status',
        },
        {
          id: 'migrate',
          title: 'Migrate',
          run: 'psql "postgres://app:$DB_PASSWORD@db/app" -c "select 1"',
        },
      ];
      d.rollback = { steps: [{ id: 'undo', argv: ['mysql', '--password', 'hunter2-pw', '-e', 'select 1'] }] };
    });
    const warning =
      'warning: this command holds what looks like a credential written out; anyone who can read the runbook can read it: list a variable under requires.env, set it in Preflight\'s environment and use it in the command ("$NAME")';
    expect(messages(text)).toEqual([warning, warning]);
    const at = (line: string) => line.replace(/^(r\.yaml:\d+):.*/, '$1');
    const runLine = text.split('\n').findIndex((l) => l.includes('sk_live')) + 1;
    const argvLine = text.split('\n').findIndex((l) => l.includes('- mysql')) + 1;
    expect(diagnose(text).map(at)).toEqual([`r.yaml:${runLine}`, `r.yaml:${argvLine}`].sort());
    expect(messages(text).join('\n')).not.toMatch(/sk_live|hunter2/);
  });

  it('warns about people an escalation level cannot reach the way it pages', () => {
    const text = variant((d) => {
      d.people = { ...(d.people as Data), zoe: { name: 'Zoe' } };
      d.escalation = {
        levels: [{ id: 'L1', notify: ['zoe'], via: ['pagerduty', 'mention'], respond_within: '5m' }],
      };
    });
    expect(messages(text)).toEqual([
      'warning: zoe has no slack or discord id, so level "L1" cannot mention them in chat',
      'warning: zoe has no pagerduty id; the PagerDuty page for level "L1" will not name them',
    ]);
  });

  it('warns when monitoring checks run at most once in their window, and an unused override gate', () => {
    const text = variant((d) => {
      d.health = [{ id: 'api', http: { url: 'http://localhost:8080/health' } }];
      d.monitoring = [{ from: '0h', to: '10m', every: '15m', checks: ['api'] }];
      d.window = { start: '14:00', end: '16:00', override_gate: 'security' };
    });
    expect(messages(text)).toEqual([
      'warning: checks every 15m run at most once in a 10m window',
      'warning: override_gate is ignored unless outside: override',
    ]);
  });
});

describe('did-you-mean suggestions', () => {
  it('suggests the closest candidate within a small distance, ignoring case', () => {
    expect(suggest('securty', ['security', 'operations'])).toBe('security');
    expect(suggest('OPERATION', ['security', 'operations'])).toBe('operations');
    expect(suggest('db', ['security', 'operations'])).toBeUndefined();
    expect(didYouMean('timout', ['timeout', 'title'])).toBe('; did you mean "timeout"?');
    expect(didYouMean('zzz', ['timeout'])).toBe('');
  });

  it('lists the known ids when nothing is close', () => {
    const text = variant((d) => {
      d.steps = [{ id: 'deploy', title: 'Deploy', needs: ['security', 'qa'], run: './deploy.sh' }];
    });
    expect(messages(text)).toEqual(['unknown gate "qa" (known: security)']);
  });

  it('suggests people, groups, health checks and enum values', () => {
    const text = variant((d) => {
      (d.permissions as Data).abort = ['devosp'];
      d.health = [{ id: 'api-up', http: { url: 'http://localhost:8080/health' } }];
      d.success = [{ id: 'day1', title: 'Day one', at: '24h', require: ['api-upp'] }];
      d.window = { start: '14:00', end: '16:00', days: ['mon', 'tues'] };
    });
    expect(messages(text)).toEqual([
      'window.days[1]: must be one of mon, tue, wed, thu, fri, sat, sun; found "tues"; did you mean "tue"?',
    ]);
    const semantic = variant((d) => {
      (d.permissions as Data).abort = ['devosp'];
      d.health = [{ id: 'api-up', http: { url: 'http://localhost:8080/health' } }];
      d.success = [{ id: 'day1', title: 'Day one', at: '24h', require: ['api-upp'] }];
    });
    expect(messages(semantic)).toEqual([
      'unknown person or group "devosp"; did you mean "devops"?',
      'unknown health check "api-upp"; did you mean "api-up"?',
    ]);
  });

  it('suggests record keys of a fixed set, and drops the "missing" key a misspelling stands for', () => {
    const text = variant((d) => {
      d.parameters = { verison: { pattern: '^v\\d+$' } };
    });
    expect(messages(text)).toEqual(['unknown key "verison" in parameters; did you mean "version"?']);
  });

  it('rewrites durations and clock times written in words', () => {
    expect(suggestDuration('15 minutes')).toBe('15m');
    expect(suggestDuration('1 hour and 30 mins')).toBe('1h30m');
    expect(suggestDuration('2 Days')).toBe('2d');
    expect(suggestDuration('15m')).toBeUndefined();
    expect(suggestDuration('soon')).toBeUndefined();
    expect(suggestDuration('30 fortnights')).toBeUndefined();
    expect(suggestClock('2pm')).toBe('14:00');
    expect(suggestClock('12 am')).toBe('00:00');
    expect(suggestClock('9:30am')).toBe('09:30');
    expect(suggestClock(1400)).toBe('14:00');
    expect(suggestClock('14.30')).toBe('14:30');
    expect(suggestClock('25:00')).toBeUndefined();
    expect(hintFor('some other rule', '15 minutes')).toBe('');
  });

  it('suggests a time zone close to a misspelt one, and the formats when nothing is close', () => {
    const inZone = (timezone: string): string =>
      variant((d) => {
        d.timezone = timezone;
      });
    expect(messages(inZone('Asia/Shangai'))).toEqual([
      'unknown time zone "Asia/Shangai"; did you mean "Asia/Shanghai"?',
    ]);
    expect(messages(inZone('Mars/Olympus_Mons'))).toEqual([
      'unknown time zone "Mars/Olympus_Mons"; use an IANA name like Asia/Shanghai or an offset like +08:00',
    ]);
    expect(diagnose(inZone('+08:00'))).toEqual([]);
  });
});

describe('group expansion (resolvePeople)', () => {
  const people = { ana: { name: 'Ana' }, ben: { name: 'Ben' }, eva: { name: 'Eva' } };

  it('expands nested groups into distinct people in first-seen order', () => {
    const groups = { devops: ['ana', 'ben'], oncall: ['eva', 'devops'], all: ['oncall', 'devops', 'ana'] };
    expect(resolvePeople({ people, groups }, ['all'])).toEqual(['eva', 'ana', 'ben']);
    expect(resolvePeople({ people, groups }, ['ben', 'devops'])).toEqual(['ben', 'ana']);
    expect(describePeople({ people, groups }, ['oncall'])).toBe('Eva, Ana, Ben');
  });

  it('skips unknown ids and empty groups, and survives cycles', () => {
    const groups = { a: ['b', 'ana'], b: ['a', 'ben'], empty: [] };
    expect(resolvePeople({ people, groups }, ['a'])).toEqual(['ben', 'ana']);
    expect(resolvePeople({ people, groups }, ['ghost', 'empty'])).toEqual([]);
    expect(resolvePeople({ people, groups: undefined }, undefined)).toEqual([]);
  });

  it('finds the chain that makes a group contain itself', () => {
    expect(findGroupCycle({ a: ['b'], b: ['c'], c: ['a'] }, 'a')).toEqual(['a', 'b', 'c', 'a']);
    expect(findGroupCycle({ a: ['a'] }, 'a')).toEqual(['a', 'a']);
    expect(findGroupCycle({ a: ['b'], b: ['b'] }, 'a')).toBeUndefined();
    expect(findGroupCycle({ a: ['ana'] }, 'a')).toBeUndefined();
  });

  it('reports one cycle once, at the membership that closes it', () => {
    const text = variant((d) => {
      d.groups = { devops: ['ana', 'oncall'], oncall: ['ben', 'devops'], security: ['eva'] };
    });
    expect(messages(text)).toEqual([
      'group "devops" contains itself (devops → oncall → devops); remove one of these memberships',
    ]);
  });

  it('does not also say a gate or level resolves to nobody when the cause is an unknown id', () => {
    const text = variant((d) => {
      (d.gates as Data).security = { approvers: ['secutiry'] };
      d.escalation = { levels: [{ id: 'L1', notify: ['devosp'], respond_within: '15m' }] };
    });
    expect(messages(text)).toEqual([
      'unknown person or group "secutiry"; did you mean "security"?',
      'unknown person or group "devosp"; did you mean "devops"?',
    ]);
  });

  it('checks the rollback approval against the people it resolves to', () => {
    const text = variant((d) => {
      d.rollback = {
        approval: { approvers: ['security'], required: 2 },
        steps: [{ id: 'undo', run: './undo.sh' }],
      };
    });
    expect(messages(text)).toEqual([
      'the rollback approval requires 2 approvals but only 1 person can give one',
    ]);
  });
});

describe('other rules', () => {
  it('asks for a default environment when there are several', () => {
    const text = variant((d) => {
      d.environments = { production: {}, staging: {} };
    });
    expect(messages(text)).toEqual([
      'mark one environment "default: true" so /deploy start without an environment knows where to go (production, staging)',
    ]);
  });

  it('checks window overrides and dates against the window days', () => {
    const text = variant((d) => {
      d.window = { start: '14:00', end: '16:00', days: ['mon'], dates: ['2026-01-07'], outside: 'override' };
    });
    expect(messages(text)).toEqual([
      "2026-01-07 is a wed, which is not one of the window's days (mon)",
      'outside: override needs "override_gate", the gate that allows a start outside the window',
    ]);
  });

  it('names the step whose verify command has nothing to run', () => {
    const text = variant((d) => {
      d.steps = [
        { id: 'deploy', title: 'Deploy', needs: ['security'], run: './deploy.sh', verify: { timeout: '1m' } },
      ];
    });
    expect(messages(text)).toEqual([
      'the verify of step "deploy" has nothing to run; add "run" (a bash script) or "argv" (a program and its arguments)',
    ]);
  });

  it('ties trigger options to their kind', () => {
    const text = variant((d) => {
      d.rollback = {
        triggers: [{ id: 'alerts', alertmanager: { match: { severity: 'critical' } }, failing_for: '5m' }],
        steps: [{ id: 'undo', run: './undo.sh' }],
      };
    });
    expect(messages(text)).toEqual(['"failing_for" applies to health triggers only']);
  });

  it('ties min_baseline to a worse_than_baseline trigger', () => {
    const text = variant((d) => {
      d.rollback = {
        triggers: [{ id: 'alerts', alertmanager: { match: { severity: 'critical' } }, min_baseline: 0.01 }],
        steps: [{ id: 'undo', run: './undo.sh' }],
      };
    });
    expect(messages(text)).toEqual(['"min_baseline" applies to worse_than_baseline triggers only']);
  });
});

describe('reading the file', () => {
  it('points a missing key of a list item at the item', () => {
    const text = BASE.replace(
      '{ id: L1, notify: [devops], respond_within: 15m }',
      '{ id: L1, notify: [devops] }',
    );
    expect(diagnose(text)).toEqual([
      'r.yaml:18:7: missing required key "respond_within" in escalation.levels[0]',
    ]);
  });

  it('refuses a key that is a list or a mapping, and finds duplicate keys among many', () => {
    expect(diagnose(`${BASE}? [complex]\n: 1\n`)).toEqual([
      `r.yaml:${BASE.split('\n').length}:3: a key must be a word or a quoted string, not a list or a mapping`,
    ]);
    const keys = Array.from({ length: 5_000 }, (_, i) => `  k${i}: ${i}`);
    keys.push('  k17: again');
    const many = `${BASE}extra:\n${keys.join('\n')}\n`;
    expect(diagnose(many)).toEqual([
      `r.yaml:${BASE.split('\n').length + keys.length}:3: duplicate key "k17" (already set on line ${BASE.split('\n').length + 18}); each key may appear once in a mapping, so remove one of them`,
    ]);
  });

  it('says a file of other keys is not a runbook, in one line', () => {
    expect(diagnose('name: shop\nscripts: { test: vitest }\n')).toEqual([
      "r.yaml:1:1: this file is not a runbook: none of its 2 top-level keys is a runbook's; a runbook is a YAML mapping that starts with version: 1 and service: …",
    ]);
  });

  it('finds the first byte that is not UTF-8, and where it is', () => {
    expect(findInvalidUtf8(new TextEncoder().encode('héllo ✓ 😀'))).toBe(-1);
    expect(findInvalidUtf8(Uint8Array.of(0x61, 0xc3))).toBe(1);
    expect(findInvalidUtf8(Uint8Array.of(0xc0, 0x80))).toBe(0);
    expect(findInvalidUtf8(Uint8Array.of(0xed, 0xa0, 0x80))).toBe(0);
    const bytes = Uint8Array.of(...new TextEncoder().encode('a: 1\nb: é'), 0xff);
    expect(parseRunbook(bytes, 'r.yaml').errors.map(formatDiagnostic)).toEqual([
      'r.yaml:2:5: the file is not valid UTF-8 text (byte 0xFF); save the runbook as UTF-8',
    ]);
  });
});
