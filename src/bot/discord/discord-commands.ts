/**
 * Preflight's chat grammar as Discord slash commands: `/deploy` with one subcommand per `/deploy …` command, and
 * `/rollback`, `/ack`, `/incident …`, `/oncall`. An invocation is turned back into the same command line the other
 * platforms type, so parsing, authorization and replies stay in `commands/`.
 */
import {
  type RESTPostAPIChatInputApplicationCommandsJSONBody,
  SlashCommandBuilder,
  type SlashCommandSubcommandBuilder,
} from 'discord.js';
import { DECIDE_CHOICES } from '../../commands/deploy-decide.ts';
import { EMERGENCY_CHOICES } from '../../commands/incident.ts';
import {
  END_OF_OPTIONS,
  quoteArgument,
  TEXT_MAX,
  VERSION_MAX,
  WORD_MAX,
} from '../../commands/parse-words.ts';
import { allCommands } from '../../commands/registry.ts';

export interface SlashOption {
  readonly name: string;
  readonly description: string;
  readonly kind: 'string' | 'boolean';
  readonly required?: boolean;
  /** Suggestions from the runbooks while typing. */
  readonly autocomplete?: 'service' | 'environment';
  readonly choices?: readonly string[];
  /** A boolean option typed as this flag, e.g. `--emergency`. */
  readonly flag?: string;
  /** A string option typed as `--name=value`. */
  readonly assign?: boolean;
  /** The longest string Discord lets through: the parser's own limit for it (default: a name's, WORD_MAX). */
  readonly maxLength?: number;
}

export interface SlashSpec {
  /** The chat command it stands for, e.g. `deploy start`. */
  readonly command: string;
  /** Options in Discord's order (required ones first). */
  readonly options: readonly SlashOption[];
  /** Option names in the order the chat grammar types them; default: `options` order. */
  readonly textOrder?: readonly string[];
}

const id = (what = 'deployment'): SlashOption => ({
  name: 'id',
  description: `the ${what} id (default: the only active one, or this thread's)`,
  kind: 'string',
});
const service = (required: boolean): SlashOption => ({
  name: 'service',
  description: 'the service, as named by its runbook',
  kind: 'string',
  required,
  autocomplete: 'service',
});
const environment = (required: boolean): SlashOption => ({
  name: 'environment',
  description: 'the environment (default: the runbook default)',
  kind: 'string',
  required,
  autocomplete: 'environment',
});
/** A name-like word (an id, stop or logs). */
const word = (name: string, description: string, required = false): SlashOption => ({
  name,
  description,
  kind: 'string',
  required,
});
/** Free text (a reason, a note, what happened). */
const text = (name: string, description: string, required = false): SlashOption => ({
  ...word(name, description, required),
  maxLength: TEXT_MAX,
});

/** Every chat command, as Discord sees it. */
export const SLASH_SPECS: readonly SlashSpec[] = [
  {
    command: 'deploy start',
    options: [
      service(true),
      { ...word('version', 'the version to deploy, e.g. v1.3.0', true), maxLength: VERSION_MAX },
      environment(false),
    ],
  },
  { command: 'deploy status', options: [id()] },
  { command: 'deploy plan', options: [service(true)] },
  {
    command: 'deploy abort',
    options: [
      id(),
      { name: 'emergency', description: 'also run the emergency stop', kind: 'boolean', flag: '--emergency' },
      text('reason', 'why it is stopped'),
    ],
  },
  { command: 'deploy pause', options: [id()] },
  { command: 'deploy resume', options: [id()] },
  {
    command: 'deploy decide',
    options: [
      {
        name: 'choice',
        description: 'what to do with the step waiting for a decision',
        kind: 'string',
        required: true,
        choices: DECIDE_CHOICES,
      },
      id(),
    ],
  },
  { command: 'deploy history', options: [service(false)] },
  {
    command: 'deploy lock',
    options: [
      service(true),
      environment(true),
      text('reason', 'why it is locked'),
      { name: 'for', description: 'how long, e.g. 2h', kind: 'string', assign: true },
    ],
  },
  {
    command: 'deploy unlock',
    options: [
      service(true),
      environment(true),
      text('reason', 'why it is safe again (needed after a rollback)'),
    ],
  },
  { command: 'deploy help', options: [] },
  { command: 'rollback', options: [id()] },
  { command: 'ack', options: [{ ...id('incident'), name: 'incident' }] },
  {
    command: 'incident open',
    options: [
      text('what', 'what happened', true),
      {
        name: 'target',
        description: 'the deployment or service it is about',
        kind: 'string',
        required: true,
        autocomplete: 'service',
      },
      // Typed as `--environment=…`: a name picked here is checked, never read as the first word of what happened.
      { ...environment(false), assign: true },
    ],
    textOrder: ['target', 'environment', 'what'],
  },
  { command: 'incident status', options: [id('incident')] },
  {
    command: 'incident resolve',
    options: [word('id', 'the incident id', true), text('note', 'a closing note')],
  },
  {
    command: 'incident emergency',
    options: [{ ...word('which', 'stop or logs', true), choices: EMERGENCY_CHOICES }, id('incident')],
  },
  { command: 'oncall', options: [service(false)] },
];

const cut = (s: string, max: number) => (s.length > max ? `${s.slice(0, max - 1)}…` : s);

function summaryOf(command: string): string {
  return cut(allCommands().find((c) => c.name === command)?.summary ?? command, 100);
}

function addOptions(builder: SlashCommandBuilder | SlashCommandSubcommandBuilder, spec: SlashSpec): void {
  for (const o of spec.options) {
    if (o.kind === 'boolean') {
      builder.addBooleanOption((b) => b.setName(o.name).setDescription(cut(o.description, 100)));
      continue;
    }
    builder.addStringOption((b) => {
      b.setName(o.name)
        .setDescription(cut(o.description, 100))
        .setRequired(o.required === true)
        .setMaxLength(o.maxLength ?? WORD_MAX);
      if (o.autocomplete) b.setAutocomplete(true);
      if (o.choices) b.addChoices(...o.choices.map((c) => ({ name: c, value: c })));
      return b;
    });
  }
}

/** The application commands to register (bulk overwrite), built and checked by discord.js's builders. */
export function buildSlashCommands(): RESTPostAPIChatInputApplicationCommandsJSONBody[] {
  const tops = new Map<string, SlashCommandBuilder>();
  for (const spec of SLASH_SPECS) {
    const [top = '', sub] = spec.command.split(' ');
    let builder = tops.get(top);
    if (!builder) {
      const description = sub === undefined ? summaryOf(spec.command) : `Preflight ${top} commands`;
      builder = new SlashCommandBuilder().setName(top).setDescription(description);
      tops.set(top, builder);
    }
    if (sub === undefined) addOptions(builder, spec);
    else
      builder.addSubcommand((s) => {
        s.setName(sub).setDescription(summaryOf(spec.command));
        addOptions(s, spec);
        return s;
      });
  }
  return [...tops.values()].map((b) => b.toJSON());
}

/**
 * The command line an invocation stands for, e.g. `/deploy start -- toy v1.3.0 staging`: the options that are
 * flags first, then END_OF_OPTIONS and each text option as one word (quoted when it holds spaces), so what a
 * person types into a text option is never read as a flag or as another option.
 */
export function commandLineOf(
  command: string,
  subcommand: string | null,
  values: ReadonlyMap<string, string | boolean>,
): string | undefined {
  const name = subcommand ? `${command} ${subcommand}` : command;
  const spec = SLASH_SPECS.find((s) => s.command === name);
  if (!spec) return undefined;
  const order = spec.textOrder ?? spec.options.map((o) => o.name);
  const flags: string[] = [];
  const words: string[] = [];
  for (const optionName of order) {
    const option = spec.options.find((o) => o.name === optionName);
    const value = values.get(optionName);
    if (!option || option.flag || option.assign) {
      if (option?.flag && value === true) flags.push(option.flag);
      else if (option?.assign && typeof value === 'string' && value.trim() !== '')
        flags.push(`--${option.name}=${value.replace(/\s+/g, '')}`);
      // It keeps its place among the words as "", so the word after it is never read as it.
      if (option?.assign) words.push('""');
      continue;
    }
    // A text option left empty keeps its place as "", so the next one is never read as it (a reason as the id).
    words.push(quoteArgument(typeof value === 'string' ? value.trim() : ''));
  }
  while (words.at(-1) === '""') words.pop();
  return [`/${name}`, ...flags, ...(words.length > 0 ? [END_OF_OPTIONS, ...words] : [])].join(' ');
}
