/** PEM private key blocks (`-----BEGIN … PRIVATE KEY-----`) and armoured PGP ones (`… PRIVATE KEY BLOCK-----`). */
import { REDACTED } from './redaction-marker.ts';

const PEM_BEGIN = /-----BEGIN ([A-Z0-9 ]{0,40})PRIVATE KEY( BLOCK)?-----/g;

/** Replaces the body of private key blocks; a block without its END line is redacted to the end of the text. */
export function redactPrivateKeys(text: string): string {
  if (!text.includes('-----BEGIN ')) return text;
  let out = '';
  let from = 0;
  PEM_BEGIN.lastIndex = 0;
  for (let begin = PEM_BEGIN.exec(text); begin !== null; begin = PEM_BEGIN.exec(text)) {
    const bodyStart = begin.index + begin[0].length;
    const endMarker = `-----END ${begin[1] ?? ''}PRIVATE KEY${begin[2] ?? ''}-----`;
    const end = text.indexOf(endMarker, bodyStart);
    const bodyEnd = end === -1 ? text.length : end;
    const body = text.slice(bodyStart, bodyEnd);
    const replacement = body.includes('\n') ? `\n${REDACTED}\n` : REDACTED;
    out += text.slice(from, bodyStart) + replacement;
    from = bodyEnd;
    PEM_BEGIN.lastIndex = end === -1 ? text.length : end + endMarker.length;
  }
  return out + text.slice(from);
}
