/**
 * The processes of a fault run: `preflight start` replicas (Slack HTTP mode, each with its own bot token so the
 * fake Slack knows who called) and `preflight worker` processes on one Redis. Each can be SIGKILLed and started
 * again; the run counts kills and restarts.
 */
import type { ChildProcess } from 'node:child_process';
import { createWriteStream } from 'node:fs';
import { join } from 'node:path';
import { spawnStart } from '../helpers/spawn-start.ts';
import { spawnCliWorker } from '../helpers/spawn-worker.ts';

export interface Member {
  readonly name: string;
  readonly role: 'bot' | 'worker';
  /** The bot's base URL while it is up. */
  base?: string | undefined;
  child?: ChildProcess | undefined;
  /** Set while it is down before a restart, so it is not killed twice. */
  restarting: boolean;
  /** Set while it is starting: it can be killed then too (the start is tried again). */
  launching: boolean;
}

export interface ClusterEnv {
  readonly redisUrl: string;
  readonly runbookDir: string;
  readonly slackApiUrl: string;
  readonly signingSecret: string;
  /** Where each process's log goes (`bot0.log`, …). */
  readonly logDir: string;
}

export interface Cluster {
  readonly members: Member[];
  readonly figures: {
    kills: number;
    botKills: number;
    midSendKills: number;
    killsWhileStarting: number;
    restarts: number;
    /** How long each restart took to be ready again (ms). */
    restartMs: number[];
  };
  /** Bases of the bots that are up. */
  liveBots(): string[];
  /** The bot holding `token`. */
  botByToken(token: string): Member | undefined;
  /** SIGKILL, then start it again after `downMs`. */
  crash(member: Member, downMs: number, midSend?: boolean): Promise<void>;
  stop(): Promise<void>;
}

/** Generous: on a busy 2-core machine, Node takes a while to start. */
const READY_MS = 90_000;

const tokenOf = (name: string) => `xoxb-fault-${name}`;

/** Starts `bots` replicas and `workers` workers. */
export async function startCluster(env: ClusterEnv, bots: number, workers: number): Promise<Cluster> {
  const members: Member[] = [
    ...Array.from({ length: bots }, (_, i) => ({
      name: `bot${i}`,
      role: 'bot' as const,
      restarting: false,
      launching: false,
    })),
    ...Array.from({ length: workers }, (_, i) => ({
      name: `worker${i}`,
      role: 'worker' as const,
      restarting: false,
      launching: false,
    })),
  ];
  const figures = {
    kills: 0,
    botKills: 0,
    midSendKills: 0,
    killsWhileStarting: 0,
    restarts: 0,
    restartMs: [] as number[],
  };
  let stopping = false;

  const launch = async (member: Member) => {
    const log = createWriteStream(join(env.logDir, `${member.name}.log`), { flags: 'a' });
    const onSpawn = (child: ChildProcess) => {
      member.child = child;
      child.stdout?.pipe(log, { end: false });
    };
    member.launching = true;
    try {
      for (let attempt = 1; ; attempt++) {
        try {
          if (member.role === 'bot') {
            const bot = await spawnStart(
              {
                REDIS_URL: env.redisUrl,
                RUNBOOK: env.runbookDir,
                SLACK_BOT_TOKEN: tokenOf(member.name),
                SLACK_SIGNING_SECRET: env.signingSecret,
                SLACK_API_URL: env.slackApiUrl,
                LOG_LEVEL: 'info',
              },
              { cwd: env.runbookDir, readyTimeoutMs: READY_MS, onSpawn },
            );
            member.base = bot.base;
          } else {
            await spawnCliWorker(env.redisUrl, env.runbookDir, env.runbookDir, READY_MS, onSpawn);
          }
          return;
        } catch (error) {
          // Killed while starting, Redis down right now, or the machine slow: try again shortly.
          member.child = undefined;
          if (stopping) return;
          if (attempt >= 30) throw error;
          await new Promise((r) => setTimeout(r, 500));
        }
      }
    } finally {
      member.launching = false;
    }
  };

  const kill = async (member: Member) => {
    const child = member.child;
    member.base = undefined;
    member.child = undefined;
    if (!child || child.exitCode !== null) return;
    const gone = new Promise<void>((resolve) => child.once('exit', () => resolve()));
    child.kill('SIGKILL');
    await gone;
  };

  await Promise.all(members.map(launch));

  return {
    members,
    figures,
    liveBots: () => members.flatMap((m) => (m.role === 'bot' && m.base ? [m.base] : [])),
    botByToken: (token) => members.find((m) => m.role === 'bot' && token === `Bearer ${tokenOf(m.name)}`),
    async crash(member, downMs, midSend = false) {
      if (member.restarting || stopping) return;
      if (member.launching) {
        // A process killed while it starts: its start is simply tried again.
        const child = member.child;
        if (!child || child.exitCode !== null) return;
        child.kill('SIGKILL');
        figures.kills++;
        figures.killsWhileStarting++;
        if (member.role === 'bot') figures.botKills++;
        return;
      }
      member.restarting = true;
      try {
        await kill(member);
        figures.kills++;
        if (member.role === 'bot') figures.botKills++;
        if (midSend) figures.midSendKills++;
        await new Promise((r) => setTimeout(r, downMs));
        if (stopping) return;
        const restarting = Date.now();
        member.restarting = false;
        await launch(member);
        figures.restarts++;
        figures.restartMs.push(Date.now() - restarting);
      } finally {
        member.restarting = false;
      }
    },
    async stop() {
      stopping = true;
      await Promise.all(
        members.map(async (m) => {
          const child = m.child;
          if (!child || child.exitCode !== null) return;
          const gone = new Promise<void>((resolve) => child.once('exit', () => resolve()));
          child.kill('SIGTERM');
          const timer = setTimeout(() => child.kill('SIGKILL'), 10_000);
          await gone;
          clearTimeout(timer);
        }),
      );
    },
  };
}
