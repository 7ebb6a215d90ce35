/**
 * Ports: what the domain needs from the outside world, named by role. Implementations live in infra/ (by
 * technology: RedisDeploymentStore, ExecaStepRunner, …) and are wired in main.ts.
 */
import type { AlertEnvironmentScope } from './alerts/alert-environment.ts';
import type { AuditHead, AuditRecord } from './audit/audit-chain.ts';
import type { MessageRef, Platform } from './chat/chat-types.ts';
import type { LockChange } from './deployment/change.ts';
import type { Deployment } from './deployment/deployment.ts';
import type { AuditEntry, Effect, MessageTopic } from './deployment/effects.ts';
import type { StepOutcome } from './deployment/events.ts';
import type { IncidentEffect, IncidentTopic } from './incident/incident.ts';
import type { Runbook, RunbookHealthCheck } from './runbook/schema.ts';

/** The time. Tests move it. */
export interface Clock {
  now(): number;
}

/** A command to run: a bash script (`run`) or a program with arguments (`argv`). */
export interface StepCommand {
  readonly run?: string;
  readonly argv?: readonly string[];
  /** Absolute working directory. */
  readonly cwd: string;
  /** The whole environment of the process: nothing is inherited. */
  readonly env: Readonly<Record<string, string>>;
  readonly timeoutMs: number;
}

export interface StepRunOptions {
  /** Aborting kills the process and all its descendants. */
  readonly signal: AbortSignal;
  /** Each output line (stdout and stderr), already redacted. */
  readonly onLine?: (line: string) => void;
  readonly onSpawn?: (pid: number) => void;
}

export interface StepResult {
  readonly outcome: StepOutcome;
  readonly exitCode?: number;
  readonly durationMs: number;
  /** The last lines of output, redacted and bounded in size. */
  readonly outputTail: string;
  /** Why it failed to run at all (missing program, bad cwd), in words. */
  readonly failure?: string;
}

/** Runs step commands. */
export interface StepRunner {
  run(command: StepCommand, options: StepRunOptions): Promise<StepResult>;
}

/** Who holds a service/environment lock. */
/**
 * What a lock change records in the lock's audit log (`lock:<service>:<environment>`), written in the same atomic
 * step as the change: a lock is never taken or released without its record.
 */
export interface LockAudit {
  readonly at: number;
  readonly entries: readonly AuditEntry[];
  /** Another log the same entries also go to (the deployment a rollback hold was kept for). */
  readonly alsoIn?: string;
}

export type LockHolder =
  | { readonly kind: 'deployment'; readonly id: string }
  | {
      readonly kind: 'manual';
      readonly owner: string;
      readonly reason: string;
      readonly at: number;
      readonly expiresAt: number;
    }
  | {
      /** Held after deployment `id` rolled back (or failed to), until someone unlocks it with a reason. */
      readonly kind: 'rollback';
      readonly id: string;
      readonly state: string;
      readonly reason: string;
      readonly at: number;
    };

/** One atomic write: the new deployment (compare-and-set on revision), its audit records and effects. */
export interface Commit {
  /** The deployment as read; undefined when creating. */
  readonly before: Deployment | undefined;
  readonly after: Deployment;
  readonly audit: readonly AuditEntry[];
  readonly effects: readonly Effect[];
  readonly lock?: LockChange;
  /**
   * When set, a second commit with the same id is recognised and not applied: a platform's delivery id, or the
   * id of a person's request (`Caller.request`) handled again after a crash.
   */
  readonly eventId?: string;
  /**
   * A person's request, approval or decision that chat will confirm to them: the store returns only once it is
   * durable (on a replica too, where there are replicas).
   */
  readonly confirms?: boolean;
  readonly at: number;
}

export type CommitOutcome =
  | { readonly status: 'committed' }
  | { readonly status: 'conflict' }
  /** The event id was applied before, to `deployment`. */
  | { readonly status: 'duplicate'; readonly deployment: string }
  | { readonly status: 'locked'; readonly holder: LockHolder };

/** Where deployments, their audit logs and locks live. */
export interface DeploymentStore {
  get(id: string): Promise<Deployment | undefined>;
  commit(commit: Commit): Promise<CommitOutcome>;
  /** The deployment a commit with this event id was applied to (for a week), if one was. */
  eventTarget(eventId: string): Promise<string | undefined>;
  /** A new, human-friendly id such as `sparkle-42`. */
  nextId(service: string): Promise<string>;
  /**
   * Gives back an id from nextId whose deployment was never written (its start was refused in a race), unless a
   * later one was handed out meanwhile: deployment numbers then run on without a gap.
   */
  releaseId(service: string, id: string): Promise<void>;
  /** Most recent first. */
  list(filter: {
    readonly service?: string;
    readonly activeOnly?: boolean;
    readonly limit?: number;
  }): Promise<Deployment[]>;
  /** The version live in a service's environment: the last one deployed, or restored by a rollback. */
  liveVersion(
    service: string,
    environment: string,
  ): Promise<{ version: string; deployment: string } | undefined>;
  audit(id: string): Promise<AuditRecord[]>;
  lockHolder(service: string, environment: string): Promise<LockHolder | undefined>;
  /**
   * Takes a manual lock; fails with the holder when something else holds it. With a person's `request` id, the
   * lock change is marked as that request's (`lockChangedBy`).
   */
  lockManually(
    service: string,
    environment: string,
    holder: Extract<LockHolder, { kind: 'manual' }>,
    request?: string,
    audit?: LockAudit,
  ): Promise<LockHolder | undefined>;
  /**
   * Removes a manual lock or a rollback hold; returns what was removed (marked as `request`'s, if given). `audit`
   * says what to record of the holder it removes.
   */
  unlockManually(
    service: string,
    environment: string,
    request?: string,
    audit?: (removed: Exclude<LockHolder, { kind: 'deployment' }>) => LockAudit,
  ): Promise<LockHolder | undefined>;
  /** True when this request already took or released this lock (for a week). */
  lockChangedBy(request: string, service: string, environment: string): Promise<boolean>;
  /**
   * Appends audit records outside a deployment commit (lock and unlock, refusals). With `once`, only the first
   * append of that mark (kept a week) writes: false for the others.
   */
  appendAudit(
    id: string,
    entries: readonly AuditEntry[],
    at: number,
    options?: { readonly once?: string },
  ): Promise<boolean>;
  /** Where an audit log (deployment, incident or lock) ended when it was last appended to. */
  auditHead(id: string): Promise<AuditHead | undefined>;
}

/** A runbook as loaded, with the digest of its text. */
export interface LoadedRunbook {
  readonly runbook: Runbook;
  readonly digest: string;
  readonly source: string;
  readonly file: string;
}

/** The runbooks Preflight serves, and every version ever used by a deployment (pinned by digest). */
export interface RunbookCatalog {
  /**
   * The current runbook of a service, named in any case (`findService`: `Shop` is `shop`), so every way in (chat
   * commands, the CLI, Alertmanager's labels) finds the same one; callers go on with `runbook.service`, its own
   * spelling, for keys and messages.
   */
  current(service: string): LoadedRunbook | undefined;
  services(): string[];
  /** The runbook text a deployment started with. */
  pinned(digest: string): Promise<Runbook>;
  /** Keeps the text so later reads by digest find it. */
  pin(loaded: LoadedRunbook): Promise<void>;
}

/** Values of environment variables named in runbooks' `requires.env`; only their presence is ever shown. */
export interface SecretSource {
  /** Names (of those asked) that are not set. */
  missing(names: readonly string[]): string[];
  /** Name → value of those asked that are set. */
  values(names: readonly string[]): Record<string, string>;
}

/** Delivers effects (chat posts, jobs, cancellations) after a commit. */
export interface EffectSink {
  deliver(deploymentId: string, effects: readonly Effect[]): Promise<void>;
}

type ChatEffect = { readonly type: 'post' | 'refresh'; readonly topic: MessageTopic };

/** Posts and updates chat messages about a deployment; adapters render the topic from the stored state. */
export interface Notifier {
  deliver(deploymentId: string, effect: ChatEffect): Promise<void>;
  /** Several of one commit, queued in their order at once (one round trip where `deliver` takes one each). */
  deliverAll?(deploymentId: string, effects: readonly ChatEffect[]): Promise<void>;
  /** Incident messages go to the runbook's incident channel; `dm` topics to the person directly. */
  deliverIncident(
    incidentId: string,
    effect: { readonly type: 'post' | 'refresh'; readonly topic: IncidentTopic },
  ): Promise<void>;
  /** Whether the channel of a deployment or an incident (by id) refuses its thread now (its messages wait, unseen). */
  refused?(id: string): Promise<boolean>;
  /** Whether that channel refuses Preflight's posts in every thread now (a thread not posted yet would be too). */
  channelRefuses?(id: string): Promise<boolean>;
}

/** One health check's verdict. */
export interface HealthResult {
  readonly id: string;
  readonly passed: boolean;
  /** What was seen, in words: `HTTP 503`, `up = 0 on checkout-0:8080`, `2 critical alerts firing`. */
  readonly detail: string;
  /** The number measured, when there is one (for baselines). */
  readonly value?: number;
  /**
   * True when the probe could not tell (its Prometheus or Alertmanager is unreachable, not configured or answered
   * with an error). `passed` is then false, but an unknown result never counts as a service failure.
   */
  readonly unknown?: boolean;
  /** The matching alerts of an `alertmanager` check (`alertIdentity`: the same as the webhook's), when it has any. */
  readonly alerts?: readonly string[];
}

/**
 * How a health check is probed: cancelled by `signal`; an `alertmanager` check counts only the alerts of
 * `environment` and of its runbook's service.
 */
export interface ProbeOptions {
  readonly signal?: AbortSignal;
  /**
   * The deployment's environment and runbook: an alert about another environment (by `alertEnvironment`) or another
   * service (by `alertForService`) is not this deployment's.
   */
  readonly environment?: AlertEnvironmentScope;
}

/** Probes network health checks: `http`, `prometheus` and `alertmanager`. */
export interface HealthProber {
  probe(check: RunbookHealthCheck, options: ProbeOptions): Promise<HealthResult>;
}

/** Where each deployment message was posted, both ways: topic key → message, and message → topic key. */
export interface MessageIndex {
  /**
   * Saves the message of `key`. With `as`, the message is `as`'s too, in the same write: a message posted again
   * under a key of its own (`gate:go:again:<deleted>`, so it is posted once) names the key it stands for
   * (`gate:go`) from the moment it is known, and a lookup of it says `as`.
   */
  save(deploymentId: string, key: string, ref: MessageRef, as?: string): Promise<void>;
  /**
   * Notes that a post of `key` is being attempted at `at` (ms); resolves with the time of the first attempt when
   * an earlier one exists, whose outcome is then unknown until the platform is asked. With `platform`, the post
   * counts as unconfirmed there (`unconfirmed`) until it is saved or given up.
   */
  noteAttempt(
    deploymentId: string,
    key: string,
    at: number,
    platform?: Platform,
  ): Promise<number | undefined>;
  /**
   * True while a post on `platform` was attempted (noteAttempt with its platform) and is neither saved nor given up:
   * a message of Preflight's not in the index may be that post, whose process died before it was saved.
   */
  unconfirmed(platform: Platform): Promise<boolean>;
  /** True when a post of `key` was attempted (noteAttempt) and not given up since. */
  attempted(deploymentId: string, key: string): Promise<boolean>;
  /** Gives up the noted attempt of `key`: the platform refused the post, nothing of it went out. */
  forgetAttempt(deploymentId: string, key: string): Promise<void>;
  find(deploymentId: string, key: string): Promise<MessageRef | undefined>;
  lookup(
    platform: Platform,
    channel: string,
    id: string,
  ): Promise<{ readonly deploymentId: string; readonly key: string } | undefined>;
}

/** One commit's effects, as written to the outbox stream in the same atomic step as the state. */
export interface OutboxEntry {
  readonly streamId: string;
  /** The deployment the effects are about ('' for an incident's entry). */
  readonly deploymentId: string;
  /** Set for an incident's entry. */
  readonly incidentId?: string;
  readonly revision: number;
  readonly effects: readonly Effect[];
  readonly incidentEffects?: readonly IncidentEffect[];
}

/** Where outbox entries come from (a Redis stream read through a consumer group). */
export interface OutboxSource {
  /** New entries, waiting up to `blockMs` for at least one. */
  read(blockMs: number, count: number): Promise<OutboxEntry[]>;
  /** Marks entries delivered (one call for a batch). */
  ack(...streamIds: readonly string[]): Promise<void>;
  /** `ack` then `read`, sent together (one round trip where the two take two). */
  ackAndRead?(streamIds: readonly string[], blockMs: number, count: number): Promise<OutboxEntry[]>;
  /** Takes over entries left unacknowledged for at least `minIdleMs` (by a consumer that died). */
  reclaim(minIdleMs: number, count?: number): Promise<OutboxEntry[]>;
}
