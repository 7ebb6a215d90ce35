/**
 * Credentials handed to a tool on its standard input: `echo S3cret | docker login -u me --password-stdin`,
 * `printf '%s' TOKEN | gh auth login --with-token`, `echo 'deploy:S3cret' | chpasswd`, `echo S3cret | passwd --stdin
 * deploy`. What `echo` or `printf` writes into such a command is the credential (for chpasswd, after the user).
 */
import { redactValue } from './command-credentials.ts';

/** `echo`/`printf` and its options, at the start of the last command before a pipe. */
const WRITER = /^([ \t]*(echo|printf)(?:[ \t]+-[A-Za-z]+)*)([ \t]+.*)$/s;
/** One shell word as written, quoted or bare. */
const WORD = /"[^"\n]*"|'[^'\n]*'|[^\s"']\S*/g;
/** The most words an `echo` or `printf` of a credential is read for. */
const MAX_WORDS = 8;

/** A command that reads a credential from its standard input. */
const READS_CREDENTIAL =
  /(?<![\w-])--?[\w-]*(?:password|passwd|passphrase|token|secret)[\w-]*-stdin(?![\w-])|(?<![\w-])--with-token(?![\w-])|^[ \t]*(?:sudo[ \t]+)?chpasswd(?![\w-])|(?<![\w-])passwd[ \t]+(?:\S+[ \t]+)*--stdin(?![\w-])/;
const CHPASSWD = /^[ \t]*(?:sudo[ \t]+)?chpasswd(?![\w-])/;
/** What chpasswd reads before the password: the user (`deploy:`), kept. */
const CHPASSWD_USER = /^["']?[^:\s"']+:/;

/** `piece` as written by `echo` or `printf`, with what it writes masked. */
function maskWritten(piece: string, keep: RegExp | undefined): string {
  const writer = WRITER.exec(piece);
  if (!writer) return piece;
  const [, head = '', tool, words = ''] = writer;
  // A credential is a word or two; what writes more is not read (and the work stays small).
  const written: RegExpExecArray[] = [];
  WORD.lastIndex = 0;
  for (let word = WORD.exec(words); word !== null; word = WORD.exec(words))
    if (written.push(word) > MAX_WORDS) return piece;
  // printf's first word is its format (`'%s\n'`), unless it is the only one.
  const from = tool === 'printf' && written.length > 1 ? 1 : 0;
  let out = '';
  let at = 0;
  for (const [i, word] of written.entries()) {
    if (i < from) continue;
    out += words.slice(at, word.index) + redactValue(word[0], keep);
    at = (word.index ?? 0) + word[0].length;
  }
  return head + out + words.slice(at);
}

/**
 * Replaces what `echo` or `printf` pipes into a command that takes a credential on its standard input. Each line is
 * cut once at its pipes and command separators, so the work stays linear in its length.
 */
export function redactPipedCredentials(text: string): string {
  if (!text.includes('|')) return text;
  return text
    .split('\n')
    .map((line) => {
      if (!line.includes('|')) return line;
      // Pipes and what lies between them; `||` is a separator, not a pipe.
      const parts = line.split(/(\|\||\|)/);
      for (let i = 0; i + 2 < parts.length; i += 2) {
        if (parts[i + 1] !== '|') continue;
        const into = (parts[i + 2] ?? '').split(/[;&]/)[0] ?? '';
        if (!READS_CREDENTIAL.test(into)) continue;
        const before = parts[i] ?? '';
        const cut = Math.max(before.lastIndexOf(';'), before.lastIndexOf('&'), before.lastIndexOf('('));
        parts[i] =
          before.slice(0, cut + 1) +
          maskWritten(before.slice(cut + 1), CHPASSWD.test(into) ? CHPASSWD_USER : undefined);
      }
      return parts.join('');
    })
    .join('\n');
}
