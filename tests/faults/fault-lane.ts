/**
 * One deployment of the fault run, driven as its people would: start it, approve its gate with ✅ from two
 * people, answer a question with `/deploy decide skip`, and on rollback lanes open an incident, acknowledge
 * the page and roll back. Each command is typed again until a bot acknowledges it and its effect shows.
 */
import type { DeploymentStore, IncidentStore } from '../../src/core/index.ts';
import { type FakeMessage, type FakeSlackApi, INCIDENT_CHANNEL } from '../helpers/fake-slack-api.ts';
import { ANN, BEN, CAT } from './fault-runbooks.ts';
import type { People } from './slack-people.ts';

export interface LaneRun {
  readonly lane: string;
  readonly version: string;
  /** The lane's deploy channel id. */
  readonly channel: string;
  readonly rollback: boolean;
  readonly people: People;
  readonly fake: FakeSlackApi;
  readonly store: DeploymentStore;
  readonly incidents: IncidentStore;
  readonly deadline: number;
}

export interface LaneOutcome {
  readonly id: string;
  /** Why the lane did not finish before the deadline, if it did not. */
  readonly stuck?: string;
  readonly incident?: string;
  readonly decisions: number;
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const t0 = Date.now();
const note = (text: string) => console.log(`fault run +${((Date.now() - t0) / 1000).toFixed(0)}s: ${text}`);
const FINAL = new Set(['succeeded', 'failed', 'aborted', 'rolled_back', 'rollback_failed']);

/** Types `line` until `done` holds (checked for a few seconds after each acknowledged try). */
async function until<T>(run: LaneRun, line: string, channel: string, done: () => Promise<T | undefined>) {
  const tags: string[] = [];
  for (;;) {
    const already = await done().catch(() => undefined);
    if (already !== undefined) return already;
    if (Date.now() > run.deadline)
      throw new Error(`${run.lane}: "${line}" never took effect (${answersTo(run.fake, tags)})`);
    tags.push(await run.people.command(ANN, line, channel));
    for (let i = 0; i < 120; i++) {
      await sleep(250);
      const seen = await done().catch(() => undefined);
      if (seen !== undefined) return seen;
    }
  }
}

/** What the bots answered to a command's tries, the last few, for a lane that is stuck. */
function answersTo(fake: FakeSlackApi, tags: readonly string[]): string {
  const texts = tags.slice(-3).map((tag) => {
    const answers = fake.responses.filter((r) => r.tag === tag).map((r) => String(r.body.text ?? '?'));
    return answers.length === 0 ? 'no answer' : answers.join(' / ');
  });
  return `${tags.length} tries; last answers: ${texts.join(' | ')}`;
}

async function waitFor<T>(run: LaneRun, what: string, find: () => Promise<T | undefined> | T | undefined) {
  while (Date.now() < run.deadline) {
    const found = await Promise.resolve(find()).catch(() => undefined);
    if (found !== undefined) return found;
    await sleep(250);
  }
  throw new Error(`${run.lane}: timed out waiting for ${what}`);
}

const delivered = (fake: FakeSlackApi, id: string): FakeMessage | undefined =>
  fake.messages.find(
    (m) => (m.metadata?.event_payload as { delivery?: string } | undefined)?.delivery === id,
  );

/** Runs the lane's deployment to its end; a lane still going at the deadline says where it stopped. */
export async function runLane(run: LaneRun): Promise<LaneOutcome> {
  let id = `${run.lane}@${run.version}`;
  const progress = { decisions: 0 };
  try {
    return await driveLane(
      run,
      (known) => {
        id = known;
      },
      progress,
    );
  } catch (error) {
    const d = await run.store.get(id).catch(() => undefined);
    const all = await run.store.list({ service: run.lane, limit: 10 }).catch(() => []);
    const holder = await run.store.lockHolder(run.lane, 'production').catch(() => undefined);
    const seen = `state ${d?.state}; the lane's deployments: ${all.map((x) => `${x.id} ${x.version} ${x.state}`).join(', ')}; lock ${JSON.stringify(holder)}`;
    note(`${id} stuck: ${(error as Error).message} (${seen})`);
    return { id, decisions: progress.decisions, stuck: `${(error as Error).message}; ${seen}` };
  }
}

async function driveLane(
  run: LaneRun,
  known: (id: string) => void,
  progress: { decisions: number },
): Promise<LaneOutcome> {
  const { store } = run;
  const find = async () =>
    (await store.list({ service: run.lane, limit: 10 })).find((d) => d.version === run.version);
  const first = await until(run, `/deploy start ${run.lane} ${run.version}`, run.channel, find);
  const id = first.id;
  known(id);
  note(`${id} started (${run.version})`);
  // The first copy of the gate message (were there ever two) is the one people react to.
  const gate = await waitFor(run, `${id} gate message`, () => delivered(run.fake, `${id}:gate:go`));
  await run.people.react(BEN, gate, 'white_check_mark');
  await run.people.react(CAT, gate, 'white_check_mark');
  note(`${id} gate approved by two ✅`);
  for (;;) {
    const d = await waitFor(run, `${id}`, () => store.get(id));
    if (d.state === 'needs_decision') {
      progress.decisions++;
      note(`${id} asks for a decision; skipping`);
      await until(run, `/deploy decide skip ${id}`, run.channel, async () => {
        const now = await store.get(id);
        return now && now.state !== 'needs_decision' ? now : undefined;
      });
      continue;
    }
    if (FINAL.has(d.state)) break;
    if (Date.now() > run.deadline) throw new Error(`${id} stuck in ${d.state}`);
    await sleep(400);
  }
  note(`${id} ${(await store.get(id))?.state}`);
  if (!run.rollback) return { id, decisions: progress.decisions };
  const incident = await until(run, `/incident open ${id} smoke tests failing`, INCIDENT_CHANNEL, () =>
    run.incidents.openFor(id),
  );
  await waitFor(run, `${incident.id} page`, () => delivered(run.fake, `${incident.id}:page:0:0`));
  await until(
    run,
    `/ack ${incident.id}`,
    INCIDENT_CHANNEL,
    async () => (await run.incidents.get(incident.id))?.ack,
  );
  await until(run, `/rollback ${id}`, run.channel, async () => {
    const d = await store.get(id);
    return d && ['rolling_back', 'rolled_back', 'rollback_failed'].includes(d.state) ? d : undefined;
  });
  for (;;) {
    const d = await waitFor(run, `${id}`, () => store.get(id));
    if (d.state === 'needs_decision') {
      progress.decisions++;
      note(`${id} asks for a decision; skipping`);
      await until(run, `/deploy decide skip ${id}`, run.channel, async () => {
        const now = await store.get(id);
        return now && now.state !== 'needs_decision' ? now : undefined;
      });
      continue;
    }
    if (d.state !== 'rolling_back') break;
    await sleep(400);
  }
  const done = await store.get(id);
  note(`${id} ${done?.state} after ${incident.id}`);
  // A rollback holds the environment until someone unlocks it with a reason; the lane's next deployment needs it.
  const environment = done?.environment ?? 'production';
  await until(
    run,
    `/deploy unlock ${run.lane} ${environment} rolled back in the fault run; the fix is understood`,
    run.channel,
    async () => ((await store.lockHolder(run.lane, environment)) === undefined ? true : undefined),
  );
  return { id, incident: incident.id, decisions: progress.decisions };
}
