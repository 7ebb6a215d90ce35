/** Preflight's configuration: every environment variable of design.md §3, parsed once by a zod schema. */

import * as z from 'zod';
import { countOf, PREFLIGHT_CREDENTIALS } from '../core/index.ts';
import type { RedisTarget } from '../infra/redis/redis-connector.ts';
import { parseRedisUrl, RedisUrlError } from './redis-url.ts';

const optionalText = z
  .string()
  .optional()
  .transform((v) => (v === undefined || v.trim() === '' ? undefined : v.trim()));

const optionalUrl = (protocols: RegExp, example: string) =>
  optionalText.refine(
    (v) => v === undefined || (URL.canParse(v) && protocols.test(new URL(v).protocol)),
    `must be a URL like ${example}`,
  );

/**
 * The URL of a service Preflight authorizes with its own token (Slack, Discord, PagerDuty): a user and password in it
 * are refused here, in one line, not when the bot first calls (a start that fails, a page that is never sent).
 */
const serviceUrl = (example: string) =>
  optionalUrl(/^https?:$/, example).refine(
    (v) => v === undefined || !URL.canParse(v) || (new URL(v).username === '' && new URL(v).password === ''),
    `must hold no user or password, since Preflight authorizes with its own token; give the URL without them, like ${example}`,
  );

/** A Discord id: a snowflake, 17–20 digits. */
const SNOWFLAKE = /^\d{17,20}$/;

const EnvSchema = z.object({
  REDIS_URL: optionalText.transform((v, ctx): RedisTarget | undefined => {
    if (v === undefined) return undefined;
    try {
      return parseRedisUrl(v);
    } catch (error) {
      if (!(error instanceof RedisUrlError)) throw error;
      ctx.addIssue({ code: 'custom', message: error.message });
      return z.NEVER;
    }
  }),
  RUNBOOK: optionalText.transform((v) => v ?? 'runbook.yaml'),
  PORT: optionalText
    .refine((v) => v === undefined || /^\d{1,5}$/.test(v), 'must be a port number, 0–65535')
    .transform((v) => (v === undefined ? 3000 : Number(v)))
    .refine((v) => v >= 0 && v <= 65535, 'must be a port number, 0–65535'),
  SLACK_BOT_TOKEN: optionalText.refine(
    (v) => v === undefined || v.startsWith('xoxb-'),
    'must be a bot token starting with xoxb-',
  ),
  SLACK_SIGNING_SECRET: optionalText,
  SLACK_APP_TOKEN: optionalText.refine(
    (v) => v === undefined || v.startsWith('xapp-'),
    'must be an app-level token starting with xapp-',
  ),
  SLACK_API_URL: serviceUrl('https://slack.com/api/'),
  DISCORD_TOKEN: optionalText,
  DISCORD_APPLICATION_ID: optionalText.refine(
    (v) => v === undefined || SNOWFLAKE.test(v),
    'must be the application id: a snowflake of 17–20 digits (Developer Portal → General Information)',
  ),
  DISCORD_GUILD_ID: optionalText.refine(
    (v) => v === undefined || SNOWFLAKE.test(v),
    'must be the server (guild) id: a snowflake of 17–20 digits (Discord: right-click the server → Copy Server ID)',
  ),
  DISCORD_API_URL: serviceUrl('https://discord.com/api'),
  PROMETHEUS_URL: optionalUrl(/^https?:$/, 'http://localhost:9090'),
  ALERTMANAGER_URL: optionalUrl(/^https?:$/, 'http://localhost:9093'),
  ALERTMANAGER_WEBHOOK_TOKEN: optionalText,
  PAGERDUTY_ROUTING_KEY: optionalText,
  PAGERDUTY_EVENTS_URL: serviceUrl('https://events.pagerduty.com/v2/enqueue'),
  // Blank is unset, as for every other variable; `INFO` is info.
  LOG_LEVEL: z
    .preprocess(
      (v) => (typeof v === 'string' ? v.trim().toLowerCase() || undefined : v),
      z
        .enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'], {
          error: 'must be one of fatal, error, warn, info, debug, trace, silent',
        })
        .optional(),
    )
    .transform((v) => v ?? 'info'),
  PATH: optionalText,
  HOME: optionalText,
});

export type Env = z.output<typeof EnvSchema>;

/**
 * Slack over HTTP (Slack calls POST /slack/events, each request signed with the signing secret) or in Socket Mode
 * (Preflight opens a WebSocket with the app-level token; nothing is signed, so no signing secret is kept).
 */
export type SlackConfig = {
  readonly botToken: string;
  readonly apiUrl?: string;
} & (
  | { readonly mode: 'http'; readonly signingSecret: string }
  | { readonly mode: 'socket'; readonly appToken: string }
);

export interface Config {
  /** Where Redis is: one server, Sentinel or Cluster (unset: the embedded Redis). */
  readonly redis?: RedisTarget;
  readonly runbookPath: string;
  readonly port: number;
  readonly slack?: SlackConfig;
  readonly discord?: {
    readonly token: string;
    readonly applicationId: string;
    readonly guildId?: string;
    readonly apiUrl?: string;
  };
  readonly prometheusUrl?: string;
  readonly alertmanagerUrl?: string;
  /** When set, POST /webhooks/alertmanager takes only requests with `Authorization: Bearer <it>`. */
  readonly alertmanagerWebhookToken?: string;
  readonly pagerduty?: { readonly routingKey: string; readonly eventsUrl: string };
  readonly logLevel: string;
  /** PATH and HOME given to steps. */
  readonly stepPath: string;
  readonly stepHome: string;
  /** The bot's own secrets, so the redactor can hide them. */
  readonly ownSecrets: readonly string[];
}

/** A configuration problem, in one line naming the variable. */
export class ConfigError extends Error {
  override readonly name = 'ConfigError';
}

function requirePair(a: string | undefined, aName: string, b: string | undefined, bName: string): void {
  if ((a === undefined) !== (b === undefined)) {
    const [set, unset] = a === undefined ? [bName, aName] : [aName, bName];
    throw new ConfigError(`${unset} is not set: it is needed together with ${set}`);
  }
}

/**
 * A URL's user and password never reach an error message, wherever they are written: before the last `@` and in
 * the query (`?password=`, `?sentinelPassword=`, tokens), whose values are all hidden and whose names are kept.
 */
function withoutCredentials(value: string): string {
  const query = value.indexOf('?');
  const [base, params] = query < 0 ? [value, undefined] : [value.slice(0, query), value.slice(query + 1)];
  const shown = base.replace(/^([A-Za-z][A-Za-z0-9+.-]*:\/\/)?.*@/, '$1…@');
  if (params === undefined) return shown;
  return `${shown}?${params.replace(/=[^&]*/g, '=…')}`;
}

/** Variables that hold credentials: a bad value is described, never shown. */
const SECRET_VARIABLES = new Set(Object.keys(PREFLIGHT_CREDENTIALS));

/**
 * What a bad value looked like, fit for an error line: a credential only by its length and, when it has one, its
 * kind's prefix (`xoxp-`: a user token where a bot token belongs), never a character of the secret itself.
 */
function shownValue(name: string, value: string): string {
  if (!SECRET_VARIABLES.has(name)) return `got "${withoutCredentials(value).slice(0, 40)}"`;
  const kind = /^[a-z]{3,4}-/.exec(value)?.[0];
  return `got ${countOf(value.length, 'character')}${kind ? ` starting "${kind}…"` : ''}`;
}

/** The values of the variables that hold the bot's own credentials, so a redactor can hide them. */
export function readOwnSecrets(env: Record<string, string | undefined>): string[] {
  return [...SECRET_VARIABLES].map((name) => env[name]?.trim() ?? '').filter((value) => value !== '');
}

/** Slack's mode and credentials: Socket Mode when SLACK_APP_TOKEN is set (no signing secret needed), else HTTP. */
function readSlack(e: Env): SlackConfig | undefined {
  const apiUrl = e.SLACK_API_URL !== undefined ? { apiUrl: e.SLACK_API_URL } : {};
  if (e.SLACK_APP_TOKEN !== undefined) {
    if (e.SLACK_BOT_TOKEN === undefined)
      throw new ConfigError(
        'SLACK_BOT_TOKEN is not set: Socket Mode (SLACK_APP_TOKEN) needs the bot token too',
      );
    return { mode: 'socket', botToken: e.SLACK_BOT_TOKEN, appToken: e.SLACK_APP_TOKEN, ...apiUrl };
  }
  if (e.SLACK_BOT_TOKEN !== undefined && e.SLACK_SIGNING_SECRET === undefined)
    throw new ConfigError(
      'SLACK_SIGNING_SECRET is not set: Slack over HTTP (POST /slack/events) needs it together with SLACK_BOT_TOKEN; or set SLACK_APP_TOKEN for Socket Mode, which does not',
    );
  if (e.SLACK_SIGNING_SECRET !== undefined && e.SLACK_BOT_TOKEN === undefined)
    throw new ConfigError('SLACK_BOT_TOKEN is not set: it is needed together with SLACK_SIGNING_SECRET');
  if (e.SLACK_BOT_TOKEN === undefined || e.SLACK_SIGNING_SECRET === undefined) return undefined;
  return { mode: 'http', botToken: e.SLACK_BOT_TOKEN, signingSecret: e.SLACK_SIGNING_SECRET, ...apiUrl };
}

/** Parses the environment once. Throws ConfigError naming the first bad variable. */
export function readConfig(env: Record<string, string | undefined>): Config {
  const parsed = EnvSchema.safeParse(env);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    const name = String(issue?.path[0] ?? 'environment');
    throw new ConfigError(
      `${name} ${issue?.message ?? 'is invalid'} (${shownValue(name, String(env[name] ?? ''))})`,
    );
  }
  const e = parsed.data;
  const slack = readSlack(e);
  requirePair(e.DISCORD_TOKEN, 'DISCORD_TOKEN', e.DISCORD_APPLICATION_ID, 'DISCORD_APPLICATION_ID');
  const ownSecrets = [
    e.SLACK_BOT_TOKEN,
    e.SLACK_SIGNING_SECRET,
    e.SLACK_APP_TOKEN,
    e.DISCORD_TOKEN,
    e.PAGERDUTY_ROUTING_KEY,
    e.ALERTMANAGER_WEBHOOK_TOKEN,
  ].filter((v): v is string => v !== undefined);
  return {
    ...(e.REDIS_URL !== undefined && { redis: e.REDIS_URL }),
    runbookPath: e.RUNBOOK,
    port: e.PORT,
    ...(slack && { slack }),
    ...(e.DISCORD_TOKEN !== undefined &&
      e.DISCORD_APPLICATION_ID !== undefined && {
        discord: {
          token: e.DISCORD_TOKEN,
          applicationId: e.DISCORD_APPLICATION_ID,
          ...(e.DISCORD_GUILD_ID !== undefined && { guildId: e.DISCORD_GUILD_ID }),
          ...(e.DISCORD_API_URL !== undefined && { apiUrl: e.DISCORD_API_URL }),
        },
      }),
    ...(e.PROMETHEUS_URL !== undefined && { prometheusUrl: e.PROMETHEUS_URL }),
    ...(e.ALERTMANAGER_URL !== undefined && { alertmanagerUrl: e.ALERTMANAGER_URL }),
    ...(e.ALERTMANAGER_WEBHOOK_TOKEN !== undefined && {
      alertmanagerWebhookToken: e.ALERTMANAGER_WEBHOOK_TOKEN,
    }),
    ...(e.PAGERDUTY_ROUTING_KEY !== undefined && {
      pagerduty: {
        routingKey: e.PAGERDUTY_ROUTING_KEY,
        eventsUrl: e.PAGERDUTY_EVENTS_URL ?? 'https://events.pagerduty.com/v2/enqueue',
      },
    }),
    logLevel: e.LOG_LEVEL,
    stepPath: e.PATH ?? '/usr/local/bin:/usr/bin:/bin',
    stepHome: e.HOME ?? '/tmp',
    ownSecrets,
  };
}

/** Reads the variables named by runbooks' `requires.env`; the values are secrets and only their presence is shown. */
export function readRequiredEnv(
  env: Record<string, string | undefined>,
  names: readonly string[],
): Record<string, string> {
  const out: Record<string, string> = {};
  for (const name of names) {
    const value = env[name];
    if (value !== undefined && value !== '') out[name] = value;
  }
  return out;
}
