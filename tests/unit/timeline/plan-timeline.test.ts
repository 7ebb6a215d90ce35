import { describe, expect, it } from 'vitest';
import { buildPlan, renderTimelineSvg, timelineFromPlan } from '../../../src/core/index.ts';
import { PATTERN_DEFS, TONE_STYLE } from '../../../src/core/timeline/svg-parts.ts';
import { renderPng } from '../../../src/infra/timeline-png.ts';
import { loadRepoRunbook } from '../../helpers/load-runbook.ts';
import { pngSize, readMarks, svgHeight } from '../../helpers/svg-marks.ts';

const START = Date.parse('2026-01-07T14:00:00+08:00');

describe('the dry-run timeline of the Sparkle runbook', () => {
  const runbook = loadRepoRunbook('runbook.yaml');
  const plan = buildPlan(runbook, { start: START });
  const svg = renderTimelineSvg(timelineFromPlan(plan));
  const marks = readMarks(svg);

  it('places every step at its planned time, in the steps lane', () => {
    expect(plan.steps.length).toBeGreaterThan(5);
    for (const step of plan.steps) {
      const mark = marks.find((m) => m.lane === 'steps' && m.row.endsWith(step.title));
      expect(mark, step.title).toBeDefined();
      expect(mark?.tone).toBe('planned');
      expect(mark?.from).toBe(new Date(step.at.utc).toISOString());
    }
  });

  it('shows every gate with its approvers before the step that needs it', () => {
    for (const gate of plan.gates) {
      const mark = marks.find((m) => m.lane === 'gates' && m.row === gate.title);
      expect(mark, gate.title).toBeDefined();
      expect(mark?.title).toContain(`${gate.required} of ${gate.approvers.length}`);
      expect(mark?.title).toContain(gate.approvers[0]?.name ?? '?');
      const needing = plan.steps.find((s) => s.needs.includes(gate.id));
      expect(mark?.at).toBe(new Date(needing?.at.utc ?? '').toISOString());
    }
  });

  it('shows the escalation ladder, each level at its time with who is paged', () => {
    const levels = marks.filter((m) => m.lane === 'escalation');
    expect(levels).toHaveLength(plan.escalation.levels.length);
    plan.escalation.levels.forEach((level, i) => {
      expect(levels[i]?.at).toBe(new Date(level.at.utc).toISOString());
      expect(levels[i]?.title).toContain(level.notify[0]?.name ?? '?');
    });
  });

  it('shows the window, monitoring periods and success criteria', () => {
    expect(marks.some((m) => m.lane === 'window' && m.title.includes('14:00–16:00'))).toBe(true);
    for (const period of plan.monitoring)
      expect(
        marks.some((m) => m.lane === 'monitoring' && m.from === new Date(period.from.utc).toISOString()),
      ).toBe(true);
    for (const success of plan.success)
      expect(marks.some((m) => m.lane === 'monitoring' && m.row === success.title)).toBe(true);
  });

  it('labels the axis in the runbook zone with UTC beside it', () => {
    expect(svg).toContain('Time (Asia/Shanghai)');
    expect(svg).toMatch(/>14:00<\/text>/);
    expect(svg).toMatch(/>06:00 UTC<\/text>/);
  });

  it('says what each colour means in words (no meaning carried by colour alone)', () => {
    for (const word of ['planned (dashed outline)', 'done (solid)', 'failed (hatched)', 'waiting (dotted)'])
      expect(svg).toContain(word);
  });

  it('gives every tone a fill of its own that is more than a colour: solid, a pattern, or an outline', () => {
    const fills = Object.values(TONE_STYLE).map((style) => style.fill);
    expect(new Set(fills).size).toBe(fills.length);
    const patterned = fills.filter((fill) => fill.startsWith('url(#'));
    // Besides solid (done) and the dashed outline (planned), every tone is a pattern the picture defines.
    expect(patterned).toHaveLength(fills.length - 2);
    for (const fill of patterned) expect(PATTERN_DEFS).toContain(`<pattern id="${fill.slice(5, -1)}"`);
  });

  it('rasterises to a 1200-pixel-wide PNG of the SVG height', () => {
    const png = renderPng(svg);
    expect(pngSize(png)).toEqual({ width: 1200, height: svgHeight(svg) });
  });

  it('escapes runbook text so a title cannot break the SVG', () => {
    const hostile = buildPlan({ ...runbook, title: 'A <script>alert("x")</script> & co' }, { start: START });
    const text = renderTimelineSvg(timelineFromPlan(hostile));
    expect(text).not.toContain('<script>');
    expect(text).toContain('&lt;script&gt;');
    expect(() => renderPng(text)).not.toThrow();
  });
});
