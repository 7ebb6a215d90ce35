/**
 * Turns a runbook file's bytes into text: size limit, binary and UTF-16 files and lone-CR line endings refused, bad
 * UTF-8 located.
 */
import type { Position } from './diagnostic.ts';

/** The largest runbook file accepted; real runbooks are a few kilobytes. */
export const MAX_RUNBOOK_BYTES = 1024 * 1024;

/** Text, or why the bytes are not a runbook (and where, when that is known). */
export type DecodedRunbook = { readonly text: string } | { readonly error: string; readonly pos?: Position };

/** The length of the UTF-8 sequence starting with `lead`, or 0 when `lead` cannot start one. */
function sequenceLength(lead: number): number {
  if (lead < 0x80) return 1;
  if (lead >= 0xc2 && lead <= 0xdf) return 2;
  if (lead >= 0xe0 && lead <= 0xef) return 3;
  if (lead >= 0xf0 && lead <= 0xf4) return 4;
  return 0;
}

/** The offset of the first byte that is not valid UTF-8; -1 when all are. Overlong forms and surrogates count as invalid. */
export function findInvalidUtf8(bytes: Uint8Array): number {
  let i = 0;
  while (i < bytes.length) {
    const length = sequenceLength(bytes[i] ?? 0);
    if (length === 0 || i + length > bytes.length) return i;
    const second = bytes[i + 1] ?? 0;
    const lead = bytes[i] ?? 0;
    if ((lead === 0xe0 && second < 0xa0) || (lead === 0xed && second > 0x9f)) return i;
    if ((lead === 0xf0 && second < 0x90) || (lead === 0xf4 && second > 0x8f)) return i;
    for (let k = 1; k < length; k++) if (((bytes[i + k] ?? 0) & 0xc0) !== 0x80) return i;
    i += length;
  }
  return -1;
}

/** The line and column (in characters) of a byte offset in valid UTF-8 text that precedes it. */
function positionOfByte(bytes: Uint8Array, offset: number): Position {
  const before = new TextDecoder('utf-8').decode(bytes.subarray(0, offset));
  const lines = before.split('\n');
  return { line: lines.length, col: [...(lines[lines.length - 1] ?? '')].length + 1 };
}

/** Decodes bytes as UTF-8 text, refusing oversized, binary and UTF-16 files with a reason. */
export function decodeRunbookBytes(bytes: Uint8Array): DecodedRunbook {
  if (bytes.byteLength > MAX_RUNBOOK_BYTES) {
    const mb = (bytes.byteLength / (1024 * 1024)).toFixed(1);
    return { error: `the file is ${mb} MB; a runbook may be at most 1 MB` };
  }
  const [b0, b1] = bytes;
  if ((b0 === 0xff && b1 === 0xfe) || (b0 === 0xfe && b1 === 0xff))
    return { error: 'the file is UTF-16 text; save the runbook as UTF-8' };
  if (bytes.includes(0)) return { error: 'this is a binary file, not a YAML runbook' };
  const bad = findInvalidUtf8(bytes);
  if (bad >= 0) {
    const hex = (bytes[bad] ?? 0).toString(16).toUpperCase().padStart(2, '0');
    return {
      error: `the file is not valid UTF-8 text (byte 0x${hex}); save the runbook as UTF-8`,
      pos: positionOfByte(bytes, bad),
    };
  }
  const text = new TextDecoder('utf-8').decode(bytes);
  // The YAML reader breaks lines at LF only: a lone CR would join the whole file into one line.
  const loneCr = text.search(/\r(?!\n)/);
  if (loneCr >= 0) {
    const lines = text.slice(0, loneCr).split('\n');
    return {
      error:
        'the lines of this file end in a lone carriage return (CR, as old Mac editors save them); save it with LF (or CRLF) line endings',
      pos: { line: lines.length, col: [...(lines[lines.length - 1] ?? '')].length + 1 },
    };
  }
  return { text };
}
