/** Emoji as typed on the terminal (✅, :white_check_mark:, white_check_mark) and as shown in the transcript. */
import { EMOJI } from '../../core/index.ts';

/** Glyphs of the emoji Preflight understands, by canonical name. */
export const EMOJI_GLYPHS: Readonly<Record<string, string>> = {
  [EMOJI.approve]: '✅',
  [EMOJI.reject]: '❌',
  [EMOJI.rollback]: '🔄',
  [EMOJI.ack]: '👀',
};

const BY_GLYPH = new Map(Object.entries(EMOJI_GLYPHS).map(([name, glyph]) => [glyph, name]));
const ALIASES: Readonly<Record<string, string>> = {
  '✔': EMOJI.approve,
  '☑': EMOJI.approve,
  '✖': EMOJI.reject,
  '❎': EMOJI.reject,
  '↩': EMOJI.rollback,
  heavy_check_mark: EMOJI.approve,
  check: EMOJI.approve,
  rollback: EMOJI.rollback,
};
const NAME = /^:?([a-z0-9_+-]+):?$/;

/** The canonical name of a typed emoji, or undefined when it is neither a known glyph nor a name. */
export function readEmoji(typed: string): string | undefined {
  const token = typed.replace(/\uFE0F/g, '').trim();
  const glyph = BY_GLYPH.get(token) ?? ALIASES[token];
  if (glyph !== undefined) return glyph;
  const name = NAME.exec(token)?.[1];
  return name === undefined ? undefined : (ALIASES[name] ?? name);
}

/** How an emoji name is shown: its glyph when known, else `:name:`. */
export function showEmoji(name: string): string {
  return EMOJI_GLYPHS[name] ?? `:${name}:`;
}
