/**
 * Draws a timeline as SVG: a header, the time axis in the runbook's zone with UTC beneath, then one band per
 * lane with a row per item. Every mark carries its lane, row, tone and time as data attributes and a <title>,
 * so the picture can be checked (and read by a screen reader) without looking at pixels.
 */
import { clip, escapeXml, PATTERN_DEFS, TONE_STYLE, text, textWidth } from './svg-parts.ts';
import type { MarkTone, Timeline, TimelineMark, TimelineRow } from './timeline.ts';
import { createTimeScale, type TimeScale } from './timeline-scale.ts';

export const TIMELINE_WIDTH = 1200;
const LEFT = 250;
const RIGHT = TIMELINE_WIDTH - 24;
const HEADER = 64;
const AXIS = 44;
const LANE_TITLE = 22;
const ROW = 22;
const LEGEND = 48;
const FONT = 13;
const LIGHT_TONES: readonly MarkTone[] = ['info', 'warning'];

function iso(at: number): string {
  return new Date(at).toISOString();
}

/** How many characters of a small label fit in `px` pixels. */
function roomFor(px: number): number {
  return Math.max(4, Math.floor(px / ((FONT - 2) * 0.6)));
}

/** A bar's label: inside a wide bar, else to its right, else to its left, cut to the room there is. */
function barLabel(label: string, tone: MarkTone, x1: number, width: number, y: number): string {
  const size = `font-size="${FONT - 2}"`;
  const needed = textWidth(label, FONT - 2);
  // Only light, solid fills keep dark text legible inside the bar.
  if (LIGHT_TONES.includes(tone) && width > needed + 8)
    return text(x1 + 4, y + 15, label, `${size} font-weight="bold"`);
  if (x1 + width + 4 + needed < RIGHT) return text(x1 + width + 4, y + 15, label, size);
  return text(x1 - 4, y + 15, clip(label, roomFor(x1 - 4 - LEFT)), `${size} text-anchor="end"`);
}

function drawMark(mark: TimelineMark, scale: TimeScale, y: number, lane: string, row: string): string {
  const style = TONE_STYLE[mark.tone];
  const dash = style.dash ? ` stroke-dasharray="${style.dash}"` : '';
  const data = `data-lane="${escapeXml(lane)}" data-row="${escapeXml(row)}" data-tone="${mark.tone}"`;
  if (mark.kind === 'bar') {
    const x1 = scale.x(mark.from);
    const width = Math.max(scale.x(mark.to) - x1, 3);
    const title = `${row}: ${mark.label ?? ''} (${iso(mark.from)} → ${iso(mark.to)})`;
    const label = mark.label === undefined ? '' : barLabel(mark.label, mark.tone, x1, width, y);
    return [
      `<g class="mark bar" ${data} data-from="${iso(mark.from)}" data-to="${iso(mark.to)}"><title>${escapeXml(title)}</title>`,
      // A planned span frames the actual one drawn over it, so both stay visible on one row.
      mark.tone === 'planned'
        ? `<rect x="${x1.toFixed(1)}" y="${y + 2}" width="${width.toFixed(1)}" height="${ROW - 4}" rx="2" fill="none" stroke="${style.stroke}"${dash}/>`
        : `<rect x="${x1.toFixed(1)}" y="${y + 6}" width="${width.toFixed(1)}" height="${ROW - 12}" rx="1" fill="${style.fill}" stroke="${style.stroke}"/>`,
      label,
      '</g>',
    ].join('');
  }
  const x = scale.x(mark.at);
  const c = y + ROW / 2;
  const diamond = `${x},${c - 6} ${x + 6},${c} ${x},${c + 6} ${x - 6},${c}`;
  const fits = x + 10 + textWidth(mark.label, FONT - 2) < RIGHT;
  return [
    `<g class="mark point" ${data} data-at="${iso(mark.at)}"><title>${escapeXml(`${row}: ${mark.label} (${iso(mark.at)})`)}</title>`,
    `<polygon points="${diamond}" fill="${style.fill}" stroke="${style.stroke}"${dash}/>`,
    fits
      ? text(x + 9, y + 15, mark.label, `font-size="${FONT - 2}"`)
      : text(
          x - 9,
          y + 15,
          clip(mark.label, roomFor(x - 9 - LEFT)),
          `font-size="${FONT - 2}" text-anchor="end"`,
        ),
    '</g>',
  ].join('');
}

function drawRow(row: TimelineRow, lane: string, scale: TimeScale, y: number, shade: boolean): string {
  return [
    shade ? `<rect x="0" y="${y}" width="${TIMELINE_WIDTH}" height="${ROW}" fill="#f4f4f4"/>` : '',
    text(12, y + 15, clip(row.label, 36), `font-size="${FONT - 1}" fill="#222"`),
    ...row.marks.map((mark) => drawMark(mark, scale, y, lane, row.label)),
  ].join('');
}

function drawAxis(scale: TimeScale, top: number, bottom: number, zone: string): string {
  const parts = [text(12, top + 16, `Time (${zone})`, `font-size="${FONT - 1}" font-weight="bold"`)];
  if (!['UTC', 'Etc/UTC'].includes(zone))
    parts.push(text(12, top + 32, 'UTC beneath', `font-size="${FONT - 3}" fill="#555"`));
  for (const tick of scale.ticks) {
    parts.push(
      `<line x1="${tick.x.toFixed(1)}" y1="${top + AXIS - 6}" x2="${tick.x.toFixed(1)}" y2="${bottom}" stroke="#d8d8d8"/>`,
      text(tick.x, top + 16, tick.local, `font-size="${FONT - 2}" text-anchor="middle" class="tick"`),
    );
    if (tick.utc)
      parts.push(
        text(tick.x, top + 31, tick.utc, `font-size="${FONT - 4}" text-anchor="middle" fill="#555"`),
      );
  }
  if (scale.breakX !== undefined) {
    const x = scale.breakX.toFixed(1);
    parts.push(
      `<line x1="${x}" y1="${top + 36}" x2="${x}" y2="${bottom}" stroke="#555" stroke-dasharray="2 4"/>`,
      text(scale.breakX + 4, top + AXIS - 2, 'compressed (log) →', `font-size="${FONT - 4}" fill="#555"`),
    );
  }
  return parts.join('');
}

function drawLegend(y: number): string {
  const parts = [text(12, y + 20, 'Legend:', `font-size="${FONT - 1}" font-weight="bold"`)];
  let x = 80;
  for (const style of Object.values(TONE_STYLE)) {
    const dash = style.dash ? ` stroke-dasharray="${style.dash}"` : '';
    parts.push(
      `<rect x="${x}" y="${y + 9}" width="22" height="14" fill="${style.fill}" stroke="${style.stroke}"${dash}/>`,
      text(x + 27, y + 20, style.word, `font-size="${FONT - 2}"`),
    );
    x += 34 + textWidth(style.word, FONT - 2);
  }
  parts.push(
    text(12, y + 40, '◆ an instant  ▬ a span  ✓ done  ✗ failed', `font-size="${FONT - 3}" fill="#555"`),
  );
  return parts.join('');
}

/** Renders a timeline as a standalone SVG document, TIMELINE_WIDTH pixels wide. */
export function renderTimelineSvg(timeline: Timeline): string {
  const rowsHeight = timeline.lanes.reduce((sum, lane) => sum + LANE_TITLE + lane.rows.length * ROW, 0);
  const height = HEADER + AXIS + rowsHeight + LEGEND + 8;
  const top = HEADER;
  const scale = createTimeScale({
    from: timeline.from,
    to: timeline.to,
    focusTo: timeline.focusTo,
    left: LEFT,
    right: RIGHT - 150,
    zone: timeline.timezone,
  });
  const body: string[] = [];
  let y = top + AXIS;
  for (const lane of timeline.lanes) {
    body.push(
      `<g class="lane" data-lane="${lane.id}">`,
      `<rect x="0" y="${y}" width="${TIMELINE_WIDTH}" height="${LANE_TITLE}" fill="#e3e9f0"/>`,
      text(12, y + 15, lane.title, `font-size="${FONT}" font-weight="bold" fill="#1b2a3a"`),
    );
    y += LANE_TITLE;
    lane.rows.forEach((row, i) => {
      body.push(drawRow(row, lane.id, scale, y, i % 2 === 1));
      y += ROW;
    });
    body.push('</g>');
  }
  return [
    `<svg xmlns="http://www.w3.org/2000/svg" width="${TIMELINE_WIDTH}" height="${height}" viewBox="0 0 ${TIMELINE_WIDTH} ${height}" font-family="DejaVu Sans, sans-serif" role="img">`,
    `<title>${escapeXml(`${timeline.title}: ${timeline.subtitle}`)}</title>`,
    `<defs>${PATTERN_DEFS}</defs>`,
    `<rect width="${TIMELINE_WIDTH}" height="${height}" fill="#ffffff"/>`,
    text(12, 28, timeline.title, `font-size="20" font-weight="bold" fill="#111"`),
    text(12, 50, timeline.subtitle, `font-size="${FONT}" fill="#333"`),
    drawAxis(scale, top, top + AXIS + rowsHeight, timeline.timezone),
    ...body,
    drawLegend(top + AXIS + rowsHeight + 4),
    '</svg>',
  ].join('\n');
}
