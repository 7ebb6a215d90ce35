/**
 * An emergency stop runs alone on its service and environment: asked for from an incident and, while it runs,
 * by `/deploy abort --emergency` of the deployment, the stop script runs once; the second says which stop is under
 * way and where its output goes, and the deployment's emergency logs still run. Once the first ended, a stop runs again.
 */
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { plainLiterals } from '../../../src/core/index.ts';
import type { Harness } from '../../helpers/engine-harness.ts';
import { useEngineSuite } from '../../helpers/engine-suite.ts';
import { useFakeMonitoring } from '../../helpers/fake-monitoring-suite.ts';
import {
  deployLive,
  deploymentNotes,
  eventually,
  incidentNotes,
  incidentRunbook,
} from '../../helpers/incident-world.ts';

const suite = useEngineSuite();
const monitoring = useFakeMonitoring();
const dir = mkdtempSync(join(tmpdir(), 'pf-emergency-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** Notes each run; says so when another stop is running at the same time. */
const STOP = `echo run >> ${dir}/runs; if mkdir ${dir}/running; then sleep 2; echo stopped; rmdir ${dir}/running; else echo two stops at once; fi`;
const runs = () => {
  try {
    return readFileSync(join(dir, 'runs'), 'utf8').split('\n').filter(Boolean).length;
  } catch {
    return 0;
  }
};

const say = async (h: Harness, userId: string, text: string) =>
  plainLiterals(
    (await h.preflight.chat.dispatcher.command({ platform: 'console', userId, channel: '#deploy', text }))
      ?.text ?? '',
  );

/** A deployment whose step runs (for a minute), with an incident opened on it by Ben. */
async function runningWithIncident(version: string) {
  const fake = await monitoring.start({ up: '1', errors: '0.01' });
  const h = await suite.start({
    runbook: incidentRunbook(fake.url, { ship: 'sleep 60', emergencyStop: STOP }),
    config: { PROMETHEUS_URL: fake.url, ALERTMANAGER_URL: fake.url },
  });
  const { id } = await deployLive(h, version, 'running');
  expect(await say(h, 'ben', `/incident open ${id} the release hangs`)).toMatch(/^🚨 INC-\d+ opened/);
  const [incident] = await h.preflight.engine.incidents.list({ limit: 1 });
  if (!incident) throw new Error('no incident');
  return { h, id, incident };
}

describe('two emergency stops of one service asked for at once', () => {
  it('runs the stop script once, and tells the second which stop is under way', async () => {
    const { h, id, incident } = await runningWithIncident('v1.0.0');

    expect(await say(h, 'ann', `/incident emergency stop ${incident.id}`)).toBe(
      `🛑 emergency stop started; its output goes to the ${incident.id} thread.`,
    );
    await eventually(
      async () => runs(),
      (n) => n === 1,
      20_000,
      'the stop from the incident to begin',
    );
    // Said at once, not "started": the stop under way is named, and the deployment is aborted all the same.
    expect(await say(h, 'ben', `/deploy abort ${id} --emergency it hangs`)).toBe(
      `${id}: deployment aborted, running steps killed; the emergency stop command is not started a second time: one is already under way (asked by Ann from ${incident.id}; its output goes to that thread).`,
    );

    const [refused] = await eventually(
      async () => deploymentNotes(h, id, 'emergency:stop'),
      (n) => n.length > 0,
      20_000,
      'the deployment’s emergency stop note',
    );
    if (refused?.effect.topic.kind !== 'note') throw new Error('no note');
    expect(plainLiterals(refused.effect.topic.text)).toBe(
      `Emergency stop not run: an emergency stop of svc production is already under way (asked by Ann from ${incident.id}; its output goes to that thread); it was not run again.`,
    );
    await eventually(
      async () => deploymentNotes(h, id, 'emergency:logs'),
      (n) => n.length > 0,
      20_000,
      'the deployment’s emergency logs',
    );
    const notes = await eventually(
      async () => incidentNotes(h, incident.id),
      (n) => n.some((t) => t.startsWith('🛑 Emergency stop')),
      20_000,
      'the incident’s emergency stop output',
    );
    expect(notes).toContain('🛑 Emergency stop finished (asked by @{ann}):\nstopped');
    expect(runs()).toBe(1);

    // The first one ended: a stop asked for now runs.
    expect(await say(h, 'ann', `/incident emergency stop ${incident.id}`)).toBe(
      `🛑 emergency stop started; its output goes to the ${incident.id} thread.`,
    );
    await eventually(
      async () => incidentNotes(h, incident.id),
      (n) => n.filter((t) => t === '🛑 Emergency stop finished (asked by @{ann}):\nstopped').length === 2,
      20_000,
      'the second stop’s output',
    );
    expect(runs()).toBe(2);
  }, 90_000);

  it('answers an incident’s Emergency stop asked while a deployment’s runs that it is not started', async () => {
    const { h, id, incident } = await runningWithIncident('v1.0.1');
    const before = runs();
    expect(await say(h, 'ben', `/deploy abort ${id} --emergency it hangs`)).toBe(
      `${id}: emergency stop: running steps killed, emergency stop command started.`,
    );
    await eventually(
      async () => runs(),
      (n) => n === before + 1,
      20_000,
      'the deployment’s stop to begin',
    );
    const answer = await say(h, 'ann', `/incident emergency stop ${incident.id}`);
    expect(answer).toMatch(
      /^⚠️ an emergency stop of svc production is already under way \(asked by Ben .*\): it is not started a second time/,
    );
    expect(answer).not.toContain('started;');
    await new Promise((resolve) => setTimeout(resolve, 3_000));
    expect(runs()).toBe(before + 1);
  }, 90_000);
});
