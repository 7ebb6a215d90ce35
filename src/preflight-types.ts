/** What `createPreflight` (main.ts) is given and what it wires for one process. */
import type { ChatLink } from './bot/chat-link.ts';
import type { SendHealth } from './bot/chat-send-health.ts';
import type { Dispatcher } from './bot/dispatch.ts';
import type { FirstReadBacks } from './bot/first-read-backs.ts';
import type { Config } from './config/config.ts';
import type {
  ChatPort,
  Clock,
  EngineDeps,
  MessageIndex,
  NoticeLimit,
  Notifier,
  Platform,
  Redactor,
  RefusalCounter,
  SecretSource,
  Telemetry,
} from './core/index.ts';
import type { createLogger, Logger } from './infra/logger.ts';
import type { PngRenderer, PngRendererOptions } from './infra/png-render/png-renderer.ts';
import type { ConnectOptions, RedisClient, RedisConnector } from './infra/redis/redis-connector.ts';
import type { RedisDataWatch } from './infra/redis/redis-data-watch.ts';
import type { ChatInboxQueue } from './jobs/chat-inbox-queue.ts';
import type { ChatSendQueue } from './jobs/chat-send-queue.ts';
import type { JobSystem, JobSystemOptions } from './jobs/job-system.ts';
export interface PreflightOptions {
  readonly config: Config;
  /** The process environment, read only for the runbooks' `requires.env` values. */
  readonly env: Readonly<Record<string, string | undefined>>;
  /** Run workers and the outbox relay (false: enqueue only). */
  readonly work: boolean;
  /** Where chat effects go (tests); by default they go through the chat send queue. */
  readonly notifier?: (deps: { engine: EngineDeps; logger: Logger }) => Notifier;
  readonly clock?: Clock;
  /** Key prefix (tests give each case its own). */
  readonly prefix?: string;
  /** Where embedded Redis keeps its data when REDIS_URL is unset. */
  readonly embeddedRedisDir?: string;
  readonly tuning?: Pick<
    JobSystemOptions,
    'concurrency' | 'lockDurationMs' | 'stalledIntervalMs' | 'leaseMs' | 'reconcileEveryMs'
  > & {
    /** Longest wait before a thread its channel refused is tried again (default 60 s). */
    readonly chatRefusedMaxWaitMs?: number;
    /** How long one try to hand PagerDuty an event may take (default 10 s). */
    readonly pagerTimeoutMs?: number;
  };
  readonly logDestination?: Parameters<typeof createLogger>[0]['destination'];
  /** Where events for /metrics go (`preflight start` passes its metrics); none by default. */
  readonly telemetry?: Telemetry;
  /** Counts refused requests (for /metrics). */
  readonly refusals?: RefusalCounter;
  /** Limits of the picture renderer process (tests); defaults in png-renderer.ts. */
  readonly pictures?: PngRendererOptions;
  /** False for commands that read only what Redis holds (`audit`): RUNBOOK is not read at all. */
  readonly readRunbooks?: boolean;
  /** Libraries' `console.warn` lines go into the log as JSON (the long-running commands). */
  readonly logLibraryWarnings?: boolean;
  /**
   * Where a command the person runs (audit, console) says what Redis's settings would lose, as a line of its own;
   * unset, it is logged as a warning (JSON), as the bot and workers log everything.
   */
  readonly warn?: (message: string) => void;
  /**
   * The chat platforms this process connects to once created whose port reads reactions back (`preflight start`:
   * `readBackPlatforms`). A page that comes due before such a platform's adapter is up and its first read-back of
   * reactions has ended waits for them (START_WAIT_MS at most from start, start-waits.ts), so the acknowledgements
   * made meanwhile count first; another platform's is not waited for.
   */
  readonly readBackPlatforms?: readonly Platform[];
}

/** Chat for one process: adapters register their port, then `start()` begins sending. */
export interface ChatRuntime {
  readonly ports: Partial<Record<Platform, ChatPort>>;
  /** Adapters whose platform keeps a connection open to Preflight register it here (for /readyz). */
  readonly links: Partial<Record<Platform, () => ChatLink>>;
  /** Whether this process's sends go through, by platform (for /readyz). */
  readonly sends: SendHealth;
  readonly queue: ChatSendQueue;
  /** Incoming events, recorded before they are acknowledged; adapters `serve` their platform's entries. */
  readonly inbox: ChatInboxQueue;
  readonly dispatcher: Dispatcher;
  readonly index: MessageIndex;
  readonly notifier: Notifier;
  /** Caps what people can make the bot say in a channel (a refusal to one who takes no direct messages). */
  readonly noticeLimit: NoticeLimit;
  /** Each adapter's first read-back of reactions: pages due at start wait for them (bot/first-read-backs.ts). */
  readonly readBacks: FirstReadBacks;
}

export interface Preflight {
  readonly engine: EngineDeps & { readonly secrets: SecretSource };
  readonly chat: ChatRuntime;
  readonly jobs: JobSystem;
  readonly redis: RedisClient;
  /** Whether Redis lost Preflight's data while this process ran. */
  readonly redisData: RedisDataWatch;
  readonly connector: RedisConnector;
  /** Draws the reports' timeline pictures in a helper process. */
  readonly pictures: PngRenderer;
  /** Whether pages also go to PagerDuty (PAGERDUTY_ROUTING_KEY is set). */
  readonly pagerDuty: boolean;
  readonly logger: Logger;
  readonly redactor: Redactor;
  readonly prefix: string;
  connect(options?: ConnectOptions): RedisClient;
  /**
   * True when Preflight has nothing of its own left to do now: no checklist check, step, verification or rollback
   * under way and no chat message waiting to be sent. Deployments waiting for people (gates, decisions) or being
   * monitored do not count.
   */
  settled(): Promise<boolean>;
  /**
   * Works the timers already due (an incident's next page), `withinMs` at most, without waiting for a chat adapter
   * any longer: for a process about to end because its chat could not start.
   */
  workDueTimers(withinMs: number): Promise<void>;
  /**
   * Stops handling, waits for running jobs, then closes Redis; `beforeClose` runs just before that (the HTTP server,
   * which keeps recording chat requests and answering /readyz while the running jobs finish).
   */
  stop(options?: { readonly beforeClose?: () => Promise<void> }): Promise<void>;
}
