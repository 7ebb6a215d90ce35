/**
 * Passwords given to well-known command-line tools in their own short options (`mysql -pS3cret`,
 * `curl -u admin:S3cret`, `redis-cli -a S3cret`, …): the option means "password" only for that tool, so each is read
 * only in a command that runs it, from the tool's name to the end of that command (`;`, `|`, `&` or the line's end).
 */
import { REDACTED } from './redaction-marker.ts';

/** A value as the shell reads it: quoted (the quotes stay) or bare. */
const VALUE = String.raw`("[^"\n]*"|'[^'\n]*'|[^\s"'][^\s]*)`;

interface ToolRule {
  /** The tool's name, as a command word (a path before it is allowed). */
  readonly tool: string;
  /** Within the command: group 1 is kept, group 2 is the value; `g` flag. */
  readonly option: RegExp;
  /** Read before `option`, for a form `option` would cut short: group 1 is kept, group 2 is the value; `g` flag. */
  readonly before?: RegExp;
  /** The part of a value that is kept in front of the password (`admin:` in `admin:S3cret`). */
  readonly keep?: RegExp;
}

const RULES: readonly ToolRule[] = [
  // mysql's -p takes its value only attached (`-p S3cret` asks for one, and S3cret is the database).
  {
    tool: String.raw`mysql(?:dump|admin|import|check|show|pump|binlog|slap)?|mariadb(?:-(?:dump|admin|import|check|show|binlog|slap))?`,
    option: new RegExp(String.raw`((?<=[ \t])-p)${VALUE}`, 'g'),
  },
  // curl -u / --user / -U / --proxy-user user:password: the user stays.
  {
    tool: 'curl',
    option: new RegExp(String.raw`((?<=[ \t])(?:-u|-U|--user|--proxy-user)(?:[ \t]+|=)?)${VALUE}`, 'g'),
    keep: /^["']?[^:\s]*:/,
  },
  { tool: 'redis-cli', option: new RegExp(String.raw`((?<=[ \t])-a[ \t]*)${VALUE}`, 'g') },
  // Only sshpass's own -p, before the command it wraps (`sshpass -p x ssh -p 2222 host`: 2222 is ssh's port).
  { tool: 'sshpass', option: new RegExp(String.raw`^((?:[ \t]+-[^p\s]\S*)*[ \t]+-p[ \t]*)${VALUE}`, 'g') },
  {
    tool: String.raw`(?:docker|podman|buildah|skopeo|nerdctl|oras)[ \t]+login`,
    option: new RegExp(String.raw`((?<=[ \t])-p[ \t]*)${VALUE}`, 'g'),
  },
  // az login's -p is the password or the service principal's secret (or certificate path, which stays readable).
  { tool: String.raw`az[ \t]+login`, option: new RegExp(String.raw`((?<=[ \t])-p[ \t]*)${VALUE}`, 'g') },
  // openssl enc's -k is the passphrase and -K the key itself, in hex (-keyout, -kfile are other options).
  { tool: 'openssl', option: new RegExp(String.raw`((?<=[ \t])-[kK][ \t]+)${VALUE}`, 'g') },
  // Oracle's tools take user/password[@db] as their first argument (`sqlplus / as sysdba` names no user). A user
  // name starts with a letter, so `exp 2/3` (an experiment, a fraction) is no login. A password with blanks or an @
  // is quoted (`scott/"p@ss word"@db`), or the whole login is (`"scott/p@ss"@db`: all up to the quote is the password).
  {
    tool: 'sqlplus|sqlldr|expdp|impdp|exp|imp',
    before:
      /^((?:[ \t]+-\S+)*[ \t]+(?:"[A-Za-z][^\s/@"']*\/(?=[^"\n]*"@)|'[A-Za-z][^\s/@"']*\/(?=[^'\n]*'@)))(?!["'])([^"'\n]+)(?=["']@)/g,
    option:
      /^((?:[ \t]+-\S+)*[ \t]+["']?[A-Za-z][^\s/@"']*\/)("[^"\n]*"|'[^'\n]*'|\\"[^"\n]*?\\"|[^\s@"']+)/g,
  },
  // ssh-keygen's -N is the new passphrase, -P the old one.
  { tool: 'ssh-keygen', option: new RegExp(String.raw`((?<=[ \t])-[NP][ \t]*)${VALUE}`, 'g') },
  {
    tool: 'mongo(?:sh|dump|restore|export|import|stat|top)?',
    option: new RegExp(String.raw`((?<=[ \t])-p[ \t]*)${VALUE}`, 'g'),
  },
  { tool: 'sqlcmd|bcp', option: new RegExp(String.raw`((?<=[ \t])-P[ \t]*)${VALUE}`, 'g') },
  { tool: String.raw`ldap[a-z]+`, option: new RegExp(String.raw`((?<=[ \t])-w[ \t]*)${VALUE}`, 'g') },
  // rabbitmqctl add_user / change_password take the password as the word after the user.
  {
    tool: 'rabbitmqctl',
    option: new RegExp(
      String.raw`^((?:[ \t]+\S+)*?[ \t]+(?:add_user|change_password)[ \t]+\S+[ \t]+)${VALUE}`,
      'g',
    ),
  },
  {
    tool: 'smbclient',
    option: new RegExp(String.raw`((?<=[ \t])(?:-U|--user)(?:[ \t]+|=)?)${VALUE}`, 'g'),
    keep: /^["']?[^%\s]*%/,
  },
];

const TOOL = new RegExp(`(?<![\\w.-])(?:${RULES.map((r) => `(${r.tool})`).join('|')})(?![\\w.-])`, 'g');
/** The rest of one command. */
const COMMAND_REST = /[^\n;|&]*/y;

/** openssl's `-passin pass:S3cret` (also `-passout`, `-pass`, `-kpass`): any tool, the `pass:` form is its own. */
const OPENSSL_PASS = /((?<![\w-])-(?:passin|passout|pass|kpass)[ \t]+pass:)(\S+)/g;

/** A shell variable where the password goes (`-p"$MYSQL_PWD"`): its name is no secret, and says what was used. */
const VARIABLE_REFERENCE = /^\$\{?[A-Za-z_][A-Za-z0-9_]*\}?$/;

/**
 * One written value (bare or quoted) with its password replaced: the quotes stay, and so does what `keep` matches at
 * its start (curl's `admin:`); a value `keep` does not match holds no password, nor does a shell variable's name.
 */
export function redactValue(value: string, keep: RegExp | undefined): string {
  const quote = value.startsWith('"') || value.startsWith("'") ? value.slice(0, 1) : '';
  const kept = keep?.exec(value)?.[0];
  if (keep && kept === undefined) return value; // `curl -u admin` names a user only
  const head = kept ?? quote;
  const closed = quote !== '' && value.length > 1 && value.endsWith(quote);
  const password = value.slice(head.length, closed ? -1 : undefined);
  if (password === '' || VARIABLE_REFERENCE.test(password)) return value;
  return `${head}${REDACTED}${closed ? quote : ''}`;
}

/** Replaces the passwords given to known tools in their short options, keeping the options (and curl's user). */
export function redactCommandCredentials(text: string): string {
  let out = '';
  let from = 0;
  TOOL.lastIndex = 0;
  for (let match = TOOL.exec(text); match !== null; match = TOOL.exec(text)) {
    const rule = RULES[match.slice(1).findIndex((group) => group !== undefined)];
    COMMAND_REST.lastIndex = TOOL.lastIndex;
    const rest = COMMAND_REST.exec(text)?.[0] ?? '';
    if (rule === undefined) continue;
    const redactOption = (_m: string, option: string, value: string): string =>
      value.startsWith('-') ? `${option}${value}` : `${option}${redactValue(value, rule.keep)}`;
    const redacted = (rule.before ? rest.replace(rule.before, redactOption) : rest).replace(
      rule.option,
      redactOption,
    );
    out += text.slice(from, TOOL.lastIndex) + redacted;
    from = TOOL.lastIndex + rest.length;
    TOOL.lastIndex = from;
  }
  return (out + text.slice(from)).replace(OPENSSL_PASS, `$1${REDACTED}`);
}
