import { describe, expect, it } from 'vitest';
import {
  type Deployment,
  type Incident,
  renderTimelineSvg,
  timelineFromDeployment,
} from '../../../src/core/index.ts';
import { renderPng } from '../../../src/infra/timeline-png.ts';
import { loadRepoRunbook } from '../../helpers/load-runbook.ts';
import { pngSize, readMarks, svgHeight } from '../../helpers/svg-marks.ts';

const T0 = Date.parse('2026-01-07T06:00:00Z');
const at = (seconds: number) => T0 + seconds * 1000;
const iso = (seconds: number) => new Date(at(seconds)).toISOString();

/** The demo's v1.3.0 story: approved, deployed, health failed, INC-1 paged L1 then L2, Carol acked, rolled back. */
function demoDeployment(): { deployment: Deployment; incident: Incident } {
  const step = (id: string, start: number, took: number, planned: number) => ({
    id,
    status: 'succeeded' as const,
    attempt: 1,
    notBefore: at(planned),
    startedAt: at(start),
    finishedAt: at(start + took),
    durationMs: took * 1000,
    lateMs: (start - planned) * 1000,
  });
  const deployment: Deployment = {
    id: 'toy-2',
    origin: 'console',
    revision: 40,
    service: 'toy',
    environment: 'production',
    version: 'v1.3.0',
    previousVersion: 'v1.2.0',
    requestedBy: 'alice',
    requestedAt: at(0),
    runbookDigest: 'x',
    state: 'rolled_back',
    paused: false,
    runStart: at(3),
    finishedAt: at(30),
    extraGates: [],
    checklist: [
      { id: 'release-notes', status: 'passed', by: 'bob', at: at(1) },
      { id: 'node', status: 'passed', at: at(0.5) },
    ],
    gates: [
      {
        id: 'security',
        status: 'approved',
        requestedAt: at(1),
        closedAt: at(2),
        approvals: [{ by: 'dave', at: at(2) }],
        reminders: 0,
      },
      {
        id: 'operations',
        status: 'approved',
        requestedAt: at(1),
        closedAt: at(3),
        approvals: [
          { by: 'bob', at: at(2) },
          { by: 'carol', at: at(3) },
        ],
        reminders: 0,
      },
    ],
    steps: [
      step('backup', 3, 0.4, 3),
      step('migrate', 5, 1.2, 5),
      step('deploy', 7, 0.8, 7),
      step('smoke', 11, 0.9, 9),
    ],
    verification: { passed: true, detail: 'toy-health ok', at: at(12.5) },
    rollback: {
      reason: 'INC-1',
      by: 'carol',
      at: at(24),
      started: true,
      from: 'monitoring',
      approvals: [{ by: 'alice', at: at(25) }],
      steps: [
        step('previous-version', 25, 1, 25),
        step('restore-db', 26, 1.1, 26),
        step('confirm', 27.5, 0.4, 27),
      ],
    },
    outcome: 'rolled back to v1.2.0',
  };
  const incident: Incident = {
    id: 'INC-1',
    revision: 5,
    service: 'toy',
    environment: 'production',
    deploymentId: 'toy-2',
    runbookDigest: 'x',
    origin: 'console',
    state: 'acknowledged',
    title: 'Error ratio 50% worse than baseline',
    trigger: 'error-ratio',
    openedBy: 'preflight',
    openedAt: at(19),
    health: 'toy-health FAILING (HTTP 503)',
    pages: [
      { level: 0, levelId: 'L1', repeat: 0, at: at(19), people: ['alice', 'bob'] },
      { level: 1, levelId: 'L2', repeat: 0, at: at(29), people: ['carol'] },
    ],
    ack: { by: 'carol', at: at(29.5) },
  };
  return { deployment, incident };
}

describe('the timeline of a finished deployment with an incident and a rollback', () => {
  const runbook = loadRepoRunbook('examples/sandbox/runbook.yaml');
  const { deployment, incident } = demoDeployment();
  const svg = renderTimelineSvg(timelineFromDeployment({ deployment, runbook, incident, now: at(40) }));
  const marks = readMarks(svg);

  it('draws every step planned (dashed) and actual, at their times, by title', () => {
    runbook.steps.forEach((def, i) => {
      const run = deployment.steps[i];
      const row = marks.filter((m) => m.lane === 'steps' && m.row.endsWith(def.title));
      expect(row.find((m) => m.tone === 'planned')?.from, def.title).toBe(
        new Date(run?.notBefore ?? 0).toISOString(),
      );
      const actual = row.find((m) => m.tone === 'done');
      expect(actual?.from).toBe(new Date(run?.startedAt ?? 0).toISOString());
      expect(actual?.title).toContain('✓ succeeded');
    });
    expect(
      marks.find((m) => m.row.endsWith('Smoke-test the new version') && m.tone === 'done')?.title,
    ).toContain('2.0s late');
  });

  it('shows how long each gate waited and who approved', () => {
    const operations = marks.find((m) => m.lane === 'gates' && m.row === 'Operations sign-off');
    expect(operations?.title).toContain('approved by Bob Brown (DevOps on-call), Carol Chen (Team lead)');
    expect(operations?.title).toContain('waited 2.0s');
    expect(operations?.from).toBe(iso(1));
    expect(operations?.to).toBe(iso(3));
  });

  it('shows when health turned, the incident, each page and who answered', () => {
    expect(marks.find((m) => m.lane === 'health' && m.row === 'Health turned')?.at).toBe(iso(19));
    const pages = marks.filter((m) => m.lane === 'incident' && m.row.startsWith('Page'));
    expect(pages.map((p) => [p.row, p.at])).toEqual([
      ['Page L1', iso(19)],
      ['Page L2', iso(29)],
    ]);
    expect(pages[0]?.title).toContain('Alice Adams (DevOps on-call), Bob Brown (DevOps on-call)');
    const ack = marks.find((m) => m.lane === 'incident' && m.row === 'Acknowledged');
    expect(ack?.at).toBe(iso(29.5));
    expect(ack?.title).toContain('Carol Chen (Team lead) answered after 11s');
  });

  it('shows the rollback: who asked, who approved, each rollback step by title', () => {
    expect(marks.find((m) => m.lane === 'rollback' && m.row === 'Requested')?.title).toContain(
      'by Carol Chen (Team lead), approved by Alice Adams (DevOps on-call)',
    );
    for (const def of runbook.rollback?.steps ?? [])
      expect(marks.some((m) => m.lane === 'rollback' && m.row.endsWith(def.title ?? def.id))).toBe(true);
  });

  it('titles the picture with the deployment and its outcome, and rasterises at 1200 px', () => {
    expect(svg).toContain('v1.3.0 → production (toy-2)');
    expect(svg).toContain('rolled back to v1.2.0');
    expect(pngSize(renderPng(svg))).toEqual({ width: 1200, height: svgHeight(svg) });
  });
});
