/** Chat figures: gate prompts under a burst in one channel, ✅ → step started, command acks, escalation timers. */

import { postFromOwnProcess } from './bench-http.ts';
import { APPROVAL_WARMUPS, environmentNames } from './bench-runbooks.ts';
import { median, quantile, WARMUP_REQUESTS, waitUntil } from './bench-stats.ts';
import { type BenchWorld, nowMs } from './bench-world.ts';
import { startDeployment, waitFinal } from './measure-steps.ts';

/** The channel's pace: one message a second (Slack's chat.postMessage, per channel). */
const INTERVAL_MS = 1_000;

async function arrivalOf(world: BenchWorld, id: string, key: string, timeoutMs: number) {
  const ref = await waitUntil(
    `${key} of ${id}`,
    () => world.preflight.chat.index.find(id, key),
    timeoutMs,
    20,
  );
  const call = world.fake.calls.find((c) => c.method === 'chat.postMessage' && c.result?.ts === ref.id);
  if (!call) throw new Error(`bench: the call that posted ${key} of ${id} was not recorded`);
  return { at: call.at, channel: ref.channel, ts: ref.id };
}

export interface GateFigures {
  readonly lagMsP95: number;
  readonly floorMsP95: number;
  readonly ids: readonly string[];
}

/**
 * `count` gated deployments (20; fewer with --quick) started at once in one channel: gate opened → gate message
 * delivered. The floor for the
 * i-th prompt delivered is the channel's pace for what must go before it: its deployment's status message (the
 * prompt is a reply in its thread) and the earlier prompts with theirs, 2i − 1 messages after the channel's first.
 */
export async function measureGatePrompts(
  world: BenchWorld,
  user: string,
  count: number,
): Promise<GateFigures> {
  const ids = await Promise.all(environmentNames(count).map((e) => startDeployment(world, user, 'gated', e)));
  const prompts = await Promise.all(
    ids.map(async (id) => {
      const { at } = await arrivalOf(world, id, 'gate:ok', 120_000);
      const d = await world.preflight.engine.store.get(id);
      const opened = d?.gates.find((g) => g.id === 'ok')?.requestedAt;
      if (opened === undefined) throw new Error(`bench: the gate of ${id} has no opening time`);
      return { at, opened };
    }),
  );
  const statuses = await Promise.all(ids.map((id) => arrivalOf(world, id, 'status', 60_000)));
  const first = Math.min(...statuses.map((s) => s.at), ...prompts.map((p) => p.at));
  const ordered = [...prompts].sort((a, b) => a.at - b.at);
  const floors = ordered.map((p, i) => Math.max(0, first + (2 * i + 1) * INTERVAL_MS - p.opened));
  return {
    lagMsP95: quantile(
      prompts.map((p) => p.at - p.opened),
      0.95,
    ),
    floorMsP95: quantile(floors, 0.95),
    ids,
  };
}

/** Starts the `APPROVAL_WARMUPS` deployments, in the environments after the first `taken`. */
export async function startApprovalWarmUps(
  world: BenchWorld,
  user: string,
  taken: number,
): Promise<string[]> {
  const spare = environmentNames(taken + APPROVAL_WARMUPS).slice(taken);
  return Promise.all(spare.map((e) => startDeployment(world, user, 'gated', e)));
}

/** After an approval: the approved deployment's own finish (its last commit, its report) has gone by. */
const SETTLE_MS = 100;

/**
 * ✅ on a gate message (a signed reaction event) → the step's process running (its own clock), p95. The
 * deployments of `warmUps` are approved first, the same way, and not counted. Each approval waits for the
 * deployment approved before it to finish, so it is not timed through that deployment's own finish.
 */
export async function measureApprovals(
  world: BenchWorld,
  user: string,
  ids: readonly string[],
  warmUps: readonly string[] = [],
): Promise<number> {
  const samples: number[] = [];
  for (const [i, id] of [...warmUps, ...ids].entries()) {
    const gate = await arrivalOf(world, id, 'gate:ok', 60_000);
    const sent = nowMs();
    const answer = await world.react(user, gate.channel, gate.ts, 'white_check_mark');
    if (answer.status !== 200) throw new Error(`bench: the reaction answered ${answer.status}`);
    const started = await waitUntil(
      `the step of ${id} after its approval`,
      async () => {
        const d = await world.preflight.engine.store.get(id);
        const tail = d?.steps.find((s) => s.id === 'first')?.outputTail?.trim();
        return tail && /^\d+\.\d+$/.test(tail) ? Number(tail) * 1000 : undefined;
      },
      30_000,
    );
    if (i >= warmUps.length) samples.push(started - sent);
    await waitFinal(world, id, 30_000);
    await new Promise((resolve) => setTimeout(resolve, SETTLE_MS));
  }
  return quantile(samples, 0.95);
}

/**
 * Slash commands in through the real Bolt receiver, sent back to back from a client process of its own (as the
 * bare baseline's): request sent → HTTP response read, p99. The first WARMUP_REQUESTS are not counted (as for the
 * bare baseline): they time compiling the path and opening connections.
 */
export async function measureCommandAcks(world: BenchWorld, user: string, runs: number): Promise<number> {
  const requests = Array.from({ length: WARMUP_REQUESTS + runs }, () =>
    world.signedCommand(user, '/deploy status solo', 'C0GENERAL1'),
  );
  const answers = await postFromOwnProcess(requests);
  const refused = answers.findIndex((a) => a.status !== 200);
  if (refused !== -1) throw new Error(`bench: a slash command was answered ${answers[refused]?.status}`);
  // Every command's reply is sent before the next phase, which it would otherwise share the machine with.
  const tags = new Set(requests.map((r) => r.tag));
  await waitUntil(
    `the replies of ${tags.size} commands`,
    () => world.fake.responses.filter((r) => tags.has(r.tag)).length >= tags.size || undefined,
    60_000,
  );
  return quantile(
    answers.slice(WARMUP_REQUESTS).map((a) => a.ms),
    0.99,
  );
}

/** Incidents whose first level does not answer within 1 s: deadline → the second level's page at PagerDuty, p99. */
export async function measureEscalationTimers(
  world: BenchWorld,
  user: string,
  count: number,
): Promise<number> {
  const envs = environmentNames(count);
  for (const e of envs)
    await world.command(user, `/incident open pager ${e} bench incident ${e}`, 'C0GENERAL1');
  const incidents = await waitUntil(
    `${count} incidents`,
    async () => {
      const open = await world.preflight.engine.incidents.list({ openOnly: true, limit: 1000 });
      const ours = open.filter((i) => i.service === 'pager');
      return ours.length >= count ? ours : undefined;
    },
    60_000,
  );
  const lates = await Promise.all(
    incidents.map(async (incident) => {
      const page = await waitUntil(
        `the second page of ${incident.id}`,
        () => world.pages.find((p) => p.body.dedup_key === `preflight/${incident.id}/L2`),
        60_000,
      );
      return page.at - (incident.openedAt + 1_000);
    }),
  );
  for (const incident of incidents)
    await world.command(user, `/incident resolve ${incident.id} bench`, 'C0GENERAL1');
  return quantile(lates, 0.99);
}

export { median };
