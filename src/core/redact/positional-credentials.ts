/**
 * Credentials that well-known tools take as a plain argument, by its position rather than after an option:
 * `htpasswd -b file user PASSWORD`, `vault login TOKEN`, `aws configure set aws_secret_access_key VALUE`. Each is read
 * only in a command that runs the tool, from its name to the end of that command (`;`, `|`, `&` or the line's end).
 */
import { isSensitiveKey } from './key-values.ts';
import { REDACTED } from './redaction-marker.ts';

/** One shell word as written, quoted or bare. */
const WORD = /"[^"\n]*"|'[^'\n]*'|[^\s"']\S*/g;

interface Word {
  readonly text: string;
  readonly index: number;
}

/** The credential is among a command's first words; a longer command is not read further (it stays linear). */
const MAX_WORDS = 64;

/** The words of a command that are arguments: redirections (`2>/dev/null`, `> out.txt`) and their targets are not. */
function argumentsOf(command: string): Word[] {
  const words: Word[] = [];
  let skipNext = false;
  WORD.lastIndex = 0;
  for (
    let match = WORD.exec(command);
    match !== null && words.length < MAX_WORDS;
    match = WORD.exec(command)
  ) {
    const text = match[0];
    if (skipNext) {
      skipNext = false;
      continue;
    }
    if (/^\d*[<>]/.test(text)) {
      skipNext = /^\d*[<>]{1,2}$/.test(text);
      continue;
    }
    words.push({ text, index: match.index });
  }
  return words;
}

/** Picks, among a command's arguments (after the tool's name), the one that holds a credential. */
type Pick = (args: readonly Word[]) => Word | undefined;

/** `htpasswd -b[c…] file user password` and `htpasswd -nb user password`: batch mode takes it as the last word. */
const pickHtpasswd: Pick = (args) => {
  const options = args.filter((arg) => /^-[A-Za-z]+$/.test(arg.text));
  if (!options.some((option) => option.text.includes('b'))) return undefined;
  const toStdout = options.some((option) => option.text.includes('n'));
  const positional = args.filter((arg, i) => !arg.text.startsWith('-') && args[i - 1]?.text !== '-C');
  return positional[toStdout ? 1 : 2];
};

/** vault's flags that take no value; the others take the next word unless written `-flag=value`. */
const VAULT_SWITCHES = new Set(['-no-store', '-no-print', '-token-only', '-non-interactive', '-h', '-help']);

/** `vault login [flags] TOKEN`: the first argument that is neither a flag, its value, nor `key=value`. */
const pickVaultToken: Pick = (args) => {
  for (let i = 0; i < args.length; i++) {
    const text = args[i]?.text ?? '';
    if (text.startsWith('-')) {
      if (text !== '-' && !text.includes('=') && !VAULT_SWITCHES.has(text)) i++;
      continue;
    }
    if (!text.includes('=')) return args[i];
  }
  return undefined;
};

/** `aws configure set NAME VALUE`, `npm config set NAME VALUE`: the value, when the name is a credential's. */
const pickConfigValue: Pick = (args) => {
  const positional: Word[] = [];
  for (let i = 0; i < args.length; i++) {
    const text = args[i]?.text ?? '';
    if (text.startsWith('-')) {
      if (!text.includes('=') && !/^--?(?:global|location=\S*|g)$/.test(text)) i++; // `--profile prod`
      continue;
    }
    positional.push(args[i] as Word);
  }
  const [name, value] = positional;
  return name !== undefined && isSensitiveKey(name.text.replace(/^["']|["']$/g, '')) ? value : undefined;
};

const TOOLS: ReadonlyArray<readonly [string, Pick]> = [
  ['htpasswd', pickHtpasswd],
  [String.raw`vault[ \t]+login`, pickVaultToken],
  [String.raw`(?:aws[ \t]+configure|(?:npm|pnpm|yarn)[ \t]+config)[ \t]+set`, pickConfigValue],
];

const TOOL = new RegExp(`(?<![\\w.-])(?:${TOOLS.map(([tool]) => `(${tool})`).join('|')})(?![\\w.-])`, 'g');
/** The rest of one command. */
const COMMAND_REST = /[^\n;|&]*/y;
const VARIABLE_REFERENCE = /^\$\{?[A-Za-z_][A-Za-z0-9_]*\}?$/;

function masked(word: string): string {
  const quote = /^["']/.test(word) ? word.slice(0, 1) : '';
  const inner =
    quote && word.length > 1 && word.endsWith(quote) ? word.slice(1, -1) : word.slice(quote.length);
  if (inner === '' || inner === '-' || inner.includes(REDACTED) || VARIABLE_REFERENCE.test(inner))
    return word;
  return quote ? `${quote}${REDACTED}${quote}` : REDACTED;
}

/** Replaces the credentials that known tools take by position, keeping the rest of each command. */
export function redactPositionalCredentials(text: string): string {
  let out = '';
  let from = 0;
  TOOL.lastIndex = 0;
  for (let match = TOOL.exec(text); match !== null; match = TOOL.exec(text)) {
    const pick = TOOLS[match.slice(1).findIndex((group) => group !== undefined)]?.[1];
    COMMAND_REST.lastIndex = TOOL.lastIndex;
    const rest = COMMAND_REST.exec(text)?.[0] ?? '';
    const word = pick?.(argumentsOf(rest));
    if (word !== undefined) {
      const at = TOOL.lastIndex + word.index;
      out += text.slice(from, at) + masked(word.text);
      from = at + word.text.length;
    }
    TOOL.lastIndex += rest.length;
  }
  return out + text.slice(from);
}
