/**
 * Text from outside Preflight and its runbook (what a person typed, an alert's labels, a health check's answer) in
 * chat text: written into a message as a literal span, so that where the message is drawn for a platform it is
 * shown as written, never read as markup, a mention or a link.
 */

/**
 * A span's marks: two Unicode noncharacters, set aside for a program's own use. Outside text loses any it carries
 * (literal(), maskText), so it can neither open nor close a span.
 */
const LITERAL_OPEN = '\uFDD0';
const LITERAL_CLOSE = '\uFDD1';
const LITERAL_MARKS = /[\uFDD0\uFDD1]/g;
const LITERAL_SPAN = /(\uFDD0[^\uFDD0\uFDD1]*\uFDD1)/;
const HELD = /\uFDD0(\d+)\uFDD1/g;

/**
 * Outside text in a message: shown as written on every platform. Where the message is drawn for a platform its
 * markup is escaped (Slack mrkdwn, Discord Markdown, the terminal), and a mention or link token in it stays text.
 */
export function literal(text: string): string {
  return `${LITERAL_OPEN}${plainLiterals(text)}${LITERAL_CLOSE}`;
}

/**
 * A word someone typed, quoted back in Preflight's sentence (a refused version, an unknown option): in quotes, as a
 * literal span, so the sentence around it stays Preflight's and the word is shown as written, never as markup.
 * Typographic quotes where the word holds a straight one, so the quotes stay readable.
 */
export function quoted(text: string): string {
  return text.includes('"') ? `“${literal(text)}”` : `"${literal(text)}"`;
}

/** Text with its literal marks removed: for a file, a thread name, a log line, or outside text itself. */
export function plainLiterals(text: string): string {
  return text.replace(LITERAL_MARKS, '');
}

/** The text's lines, a literal span that runs over a line break closed at its end and opened again on the next. */
export function literalLines(text: string): string[] {
  let open = false;
  return text.split('\n').map((line) => {
    const start = open ? `${LITERAL_OPEN}${line}` : line;
    open = start.lastIndexOf(LITERAL_OPEN) > start.lastIndexOf(LITERAL_CLOSE);
    return open ? `${start}${LITERAL_CLOSE}` : start;
  });
}

/** `own` applied to Preflight's own text only; literal spans stay as they are. */
export function mapOwnText(text: string, own: (part: string) => string): string {
  return text
    .split(LITERAL_SPAN)
    .map((part, i) => (i % 2 === 1 ? part : own(part)))
    .join('');
}

/**
 * Chat text drawn for a platform: `markup` converts Preflight's own text, in which each literal span is held out
 * as a placeholder of digits that no markup rule touches, and `showOutside` writes each span's text back in its place.
 */
export function convertAroundLiterals(
  text: string,
  markup: (own: string) => string,
  showOutside: (outside: string) => string,
): string {
  const held: string[] = [];
  const own = text
    .split(LITERAL_SPAN)
    .map((part, i) => {
      if (i % 2 === 0) return plainLiterals(part);
      held.push(part.slice(1, -1));
      return `${LITERAL_OPEN}${held.length - 1}${LITERAL_CLOSE}`;
    })
    .join('');
  return markup(own).replace(HELD, (_all, at: string) => showOutside(held[Number(at)] ?? ''));
}
