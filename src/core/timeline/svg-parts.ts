/** Small SVG building blocks for the timeline: escaping, the palette and patterns, text that fits. */
import type { MarkTone } from './timeline.ts';

/** Escapes text for SVG element content and attribute values. */
export function escapeXml(text: string): string {
  return (
    text
      // Characters XML 1.0 does not allow at all (a bell in a reason would make the whole picture unreadable).
      // biome-ignore lint/suspicious/noControlCharactersInRegex: the control characters are what is replaced.
      .replace(/[\u0000-\u0008\u000b\u000c\u000e-\u001f\ufffe\uffff]/g, '\ufffd')
      .replaceAll('&', '&amp;')
      .replaceAll('<', '&lt;')
      .replaceAll('>', '&gt;')
      .replaceAll('"', '&quot;')
      .replaceAll("'", '&apos;')
  );
}

/** Cuts text to about `max` characters with an ellipsis. */
export function clip(text: string, max: number): string {
  const chars = [...text];
  return chars.length <= max ? text : `${chars.slice(0, Math.max(1, max - 1)).join('')}…`;
}

/**
 * Okabe–Ito colours (safe for the common colour-vision deficiencies); each tone also has its own pattern (solid,
 * hatched, dotted, striped, grid, dashed outline), so no meaning rests on colour alone.
 */
export const TONE_STYLE: Readonly<
  Record<MarkTone, { fill: string; stroke: string; dash?: string; word: string }>
> = {
  planned: { fill: 'none', stroke: '#6b6b6b', dash: '5 3', word: 'planned (dashed outline)' },
  done: { fill: '#009E73', stroke: '#00664a', word: 'done (solid)' },
  failed: { fill: 'url(#hatch-failed)', stroke: '#a34400', word: 'failed (hatched)' },
  waiting: { fill: 'url(#dots-waiting)', stroke: '#b07a00', word: 'waiting (dotted)' },
  warning: { fill: 'url(#stripes-warning)', stroke: '#8c8420', word: 'warning (striped)' },
  info: { fill: 'url(#grid-info)', stroke: '#2a7fb0', word: 'information (grid)' },
};

/** Pattern definitions referenced by TONE_STYLE. */
export const PATTERN_DEFS = [
  '<pattern id="hatch-failed" width="6" height="6" patternUnits="userSpaceOnUse" patternTransform="rotate(45)">',
  '<rect width="6" height="6" fill="#D55E00"/><line x1="0" y1="0" x2="0" y2="6" stroke="#ffffff" stroke-width="2"/>',
  '</pattern>',
  '<pattern id="dots-waiting" width="5" height="5" patternUnits="userSpaceOnUse">',
  '<rect width="5" height="5" fill="#E69F00"/><circle cx="2.5" cy="2.5" r="1" fill="#ffffff"/>',
  '</pattern>',
  '<pattern id="stripes-warning" width="6" height="6" patternUnits="userSpaceOnUse">',
  '<rect width="6" height="6" fill="#F0E442"/><line x1="0" y1="1.5" x2="6" y2="1.5" stroke="#8c8420" stroke-width="1.5"/>',
  '</pattern>',
  '<pattern id="grid-info" width="6" height="6" patternUnits="userSpaceOnUse">',
  '<rect width="6" height="6" fill="#56B4E9"/>',
  '<path d="M0 0.5H6M0.5 0V6" stroke="#ffffff" stroke-width="1"/>',
  '</pattern>',
].join('');

/** A text element; `attrs` is already escaped. */
export function text(x: number, y: number, content: string, attrs = ''): string {
  return `<text x="${x.toFixed(1)}" y="${y.toFixed(1)}"${attrs ? ` ${attrs}` : ''}>${escapeXml(content)}</text>`;
}

/** Roughly how wide text is drawn at a size, for placing labels (DejaVu Sans averages ~0.6 em). */
export function textWidth(content: string, size: number): number {
  return [...content].length * size * 0.6;
}
