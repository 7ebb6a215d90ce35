/** The `preflight` command. */
import { readFileSync } from 'node:fs';
import { Command, CommanderError } from 'commander';
import { buildRunbookJsonSchema, plainLiterals } from '../core/index.ts';
import { describeRedisRefusal } from '../infra/redis/redis-refusal.ts';
import { DEFAULT_RUNBOOK } from '../infra/runbook-files.ts';
import { StartupError } from '../infra/startup-error.ts';
import { CliError } from './cli-error.ts';
import { escapeControls, redactErrorText, writeErrorLine, writeOutputLine } from './error-output.ts';
import { helpCommandUsage, readHelpWords } from './help-words.ts';
import { runPlan } from './plan-command.ts';
import { usageErrorLine } from './usage-error.ts';
import { type Output, runValidate } from './validate-command.ts';
import { describeWriteError } from './write-error.ts';

// A closed pipe (`preflight plan | head`) ends the output quietly, like other Unix tools; any other failure to write
// (a full disk) is said in one line on standard error, never as a stack, and exits 1.
for (const stream of [process.stdout, process.stderr]) {
  stream.on('error', (error: NodeJS.ErrnoException) => {
    if (error.code === 'EPIPE') process.exit(process.exitCode ?? 0);
    if (stream === process.stdout) {
      try {
        process.stderr.write(
          `preflight: cannot write the output: ${describeWriteError(error, '/dev/stdout')}\n`,
        );
      } catch {
        // Standard error cannot be written either: the exit code says it.
      }
    }
    process.exit(1);
  });
}

const io: Output = {
  out: writeOutputLine,
  err: writeErrorLine,
};

function readPackageVersion(): string {
  const pkg = JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8')) as {
    version: string;
  };
  return pkg.version;
}

const defaultRunbook = (): string => process.env.RUNBOOK || DEFAULT_RUNBOOK;

function buildProgram(setExit: (code: number) => void): Command {
  const program = new Command('preflight')
    .description('Run production deployment runbooks from chat.')
    .version(readPackageVersion(), '-V, --version', 'print the version')
    .enablePositionalOptions()
    .exitOverride()
    .configureOutput({
      writeErr: (s) => process.stderr.write(escapeControls(redactErrorText(s))),
      writeOut: (s) => process.stdout.write(s),
      // A word or option it does not take: one line, as every other error, saying where the usage is.
      outputError: (message, write) => write(usageErrorLine(message)),
    });

  program
    .command('validate')
    .description('check runbook files; prints one FILE:LINE:COL: message line per problem')
    .argument('[files...]', 'runbook files or folders (default: $RUNBOOK or ./runbook.yaml)')
    .action(async (files: string[]) => {
      setExit(await runValidate(files.length > 0 ? files : [defaultRunbook()], io, process.env));
    });

  program
    .command('plan')
    .description('print the dry-run timeline: checklist, gates, timed steps, monitoring, who is paged when')
    .argument('[file]', 'runbook file, or a folder holding one (default: $RUNBOOK or ./runbook.yaml)')
    .option('--start <iso>', 'when the deployment starts, ISO 8601 with offset (default: now)')
    .option('--env <environment>', 'target environment (default: the runbook default)')
    .option('--version <version>', 'the version to deploy, shown in the plan')
    .option('--json', 'print the plan as one JSON object (the same as --format json)')
    .option('--format <format>', 'text, json, svg or png (the timeline picture)')
    .option('--out <file>', 'write to this file instead of standard output (png needs it)')
    .action(
      async (
        file: string | undefined,
        opts: {
          start?: string;
          env?: string;
          version?: string;
          json?: boolean;
          format?: string;
          out?: string;
        },
      ) => {
        setExit(
          await runPlan(
            {
              file: file ?? defaultRunbook(),
              ...(opts.start !== undefined && { start: opts.start }),
              ...(opts.env !== undefined && { environment: opts.env }),
              ...(opts.version !== undefined && { version: opts.version }),
              ...(opts.json === true && { json: true }),
              ...(opts.format !== undefined && { format: opts.format }),
              ...(opts.out !== undefined && { out: opts.out }),
            },
            io,
            Date.now(),
          ),
        );
      },
    );

  program
    .command('schema')
    .description('print the runbook JSON Schema (for editors: runbook.schema.json)')
    .action(() => {
      io.out(JSON.stringify(buildRunbookJsonSchema(), null, 2));
    });

  program
    .command('start')
    .description(
      'the bot: chat adapters chosen by env (Slack, Discord; with neither, the terminal chat), workers, HTTP',
    )
    .option(
      '--as <person>',
      'who you type as in the terminal chat (default: $USER or the first runbook person)',
    )
    .action(async (opts: { as?: string }) => {
      // start, console, demo, worker and audit are imported when chosen: validate and plan load no chat client,
      // BullMQ or Redis client (a validate ran in 338 MB, now in about 170).
      setExit(await (await import('./start-command.ts')).runStart(process.env, opts.as));
    });

  program
    .command('console')
    .description(
      'terminal chat against the runbooks (interactive; a pipe or --script runs lines as a script)',
    )
    .option('--as <person>', 'the runbook person you type as (default: $USER or the first runbook person)')
    .option('--script <file>', 'run the lines of FILE, then wait for Preflight to settle and exit')
    .action(async (opts: { as?: string; script?: string }) => {
      setExit(await (await import('./console-command.ts')).runConsoleCommand(opts, process.env));
    });

  program
    .command('demo')
    .description(
      'the whole sandbox story in the terminal: deploy, health failure, incident, escalation, rollback',
    )
    .option('--dir <folder>', 'where the demo keeps its Redis, toy state and log (default: .preflight/demo)')
    .action(async (opts: { dir?: string }) => {
      setExit(await (await import('./demo-command.ts')).runDemo(process.env, io, opts));
    });

  program
    .command('worker')
    .description('run job workers only (scale-out: as many as needed against one REDIS_URL)')
    .action(async () => {
      setExit(await (await import('./worker-command.ts')).runWorker(process.env));
    });

  program
    .command('discord')
    .description('Discord set-up')
    .command('register')
    .description(
      'register the slash commands with Discord (guild commands when DISCORD_GUILD_ID is set, else global)',
    )
    .action(async () => {
      // discord.js loads only for the commands that use it.
      const { runDiscordRegister } = await import('./discord-command.ts');
      setExit(await runDiscordRegister(process.env, io));
    });

  const audit = program
    .command('audit')
    .description("a deployment's or an incident's hash-chained audit log");
  audit
    .command('verify')
    .argument('<id>', 'deployment id (e.g. sparkle-12) or incident id (e.g. INC-3)')
    .description('check that no record was edited, removed or reordered')
    .action(async (id: string) => {
      setExit(await (await import('./audit-command.ts')).runAudit('verify', id, process.env, io));
    });
  audit
    .command('export')
    .argument('<id>', "deployment id (its incidents' records follow its own) or incident id")
    .description('print the audit log as JSON lines')
    .action(async (id: string) => {
      setExit(await (await import('./audit-command.ts')).runAudit('export', id, process.env, io));
    });

  return program;
}

async function main(argv: readonly string[]): Promise<number> {
  let code = 0;
  const program = buildProgram((c) => {
    code = c;
  });
  // `help` is read here: commander prints the whole help as an error for `help bogus` without naming the word it did
  // not know, knows no `help help`, and shows `audit`'s help for `help audit verify`.
  const help = readHelpWords(program, argv.slice(2));
  if (help.kind === 'unknown') {
    io.err(help.line);
    return 2;
  }
  if (help.kind === 'help-command') {
    process.stdout.write(helpCommandUsage(help.command));
    return 0;
  }
  // `-v` alone is how many tools ask for their version; it names nothing else here, so it means `--version`.
  const args =
    help.kind === 'command'
      ? [...argv.slice(0, 2), ...help.path, '--help']
      : argv.length === 3 && argv[2] === '-v'
        ? [...argv.slice(0, 2), '--version']
        : argv;
  try {
    await program.parseAsync(args as string[]);
    return code;
  } catch (error) {
    if (error instanceof CommanderError) {
      return error.exitCode === 0 ? 0 : 2;
    }
    if (error instanceof CliError) {
      // A terminal line: a word quoted back from core text loses its literal marks.
      // A file the message starts with is written as given (its name may hold those marks, or a line break).
      const file = error.file !== undefined && error.message.startsWith(error.file) ? error.file : '';
      const text = `${file}${plainLiterals(error.message.slice(file.length))}`;
      if (error.message) io.err(`preflight: ${text}`, file || undefined);
      return error.exitCode;
    }
    if (error instanceof StartupError) {
      io.err(`preflight: ${error.message}`);
      return 1;
    }
    // Redis answered, but no: an ACL without a command Preflight needs is said as that, not as a stack.
    const refused = describeRedisRefusal(error);
    if (refused) {
      io.err(`preflight: ${refused}`);
      return 1;
    }
    io.err(`preflight: unexpected error: ${(error as Error).stack ?? String(error)}`);
    return 70;
  }
}

process.exitCode = await main(process.argv);
// Everything is stopped by now; a handle left open (a connection re-made during a failover that never closes)
// must not keep a stopped bot alive until the orchestrator's SIGKILL.
setTimeout(() => process.exit(), 5_000).unref();
