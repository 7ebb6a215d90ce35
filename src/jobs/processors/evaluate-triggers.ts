/**
 * Rollback triggers, judged on their own cadence (see trigger-cadence.ts): a health check failing for long enough,
 * too many firing alerts, a Prometheus value worse than its pre-deploy baseline. A firing trigger opens the
 * deployment's incident, or adds its cause to the one already open; with `rollback.automatic` it asks for the
 * rollback itself. A trigger whose monitoring stays unknown is reported as a monitoring problem.
 */
import {
  applyEvent,
  type Deployment,
  formatDuration,
  literal,
  openIncidentFor,
  type Runbook,
  type RunbookTrigger,
  resolvePeople,
} from '../../core/index.ts';
import { waitsAfterResolve } from './fired-through-resolve.ts';
import { judgeTrigger } from './judge-trigger.ts';
import { FRESH_ANSWER_MS, type Probing, probeAndRecord } from './probe-and-record.ts';
import { summarizeHealth } from './probe-checks.ts';
import type { ProcessorDeps } from './processor-deps.ts';

const note = (deps: ProcessorDeps, deploymentId: string, key: string, text: string) =>
  deps.notifier.deliver(deploymentId, { type: 'post', topic: { kind: 'note', key, text } });

/** Measures each Prometheus trigger's query now and keeps it as the deployment's baseline; says when it cannot. */
export async function captureBaselines(
  deps: ProcessorDeps,
  runbook: Runbook,
  deployment: Deployment,
): Promise<void> {
  for (const trigger of runbook.rollback?.triggers ?? []) {
    if (!trigger.prometheus) continue;
    const result = await deps.health.probe(
      {
        id: trigger.id,
        prometheus: {
          query: trigger.prometheus.query,
          ...(trigger.prometheus.url && { url: trigger.prometheus.url }),
        },
      },
      {},
    );
    const name = trigger.title ?? trigger.id;
    const query = trigger.prometheus.query;
    const floor = trigger.min_baseline;
    const instead =
      floor === undefined
        ? `It cannot fire for ${deployment.id}; set min_baseline to compare with a floor, or watch ${query} by hand.`
        : `It is compared with min_baseline ${floor} instead.`;
    // ±Inf is no baseline: no percentage of it means anything.
    if (result.value !== undefined && Number.isFinite(result.value)) {
      await deps.monitoring.saveBaseline(deployment.id, trigger.id, result.value);
      if (result.value <= 0) {
        await note(
          deps,
          deployment.id,
          `baseline-zero:${trigger.id}`,
          `⚠️ The pre-deploy baseline of ${query} is ${result.value}: a percentage of it means nothing, so the trigger ${name} does not judge ${trigger.worse_than_baseline === undefined ? '' : `${Math.round(trigger.worse_than_baseline * 100)}% `}against it. ${instead}`,
        );
      }
      continue;
    }
    // Prometheus answered but with no number to keep (NaN, +Inf, no series): the answer is named with its query.
    const why = result.unknown ? result.detail : `${query} answered ${result.detail}`;
    await deps.engine.store.appendAudit(
      deployment.id,
      [{ type: 'baseline.missing', actor: 'preflight', detail: { trigger: trigger.id, why } }],
      deps.engine.clock.now(),
    );
    await note(
      deps,
      deployment.id,
      `baseline-missing:${trigger.id}`,
      `⚠️ No baseline for the trigger ${name}: ${literal(why)}. ${instead}`,
    );
  }
}

/**
 * The deployment's health in words, for the incident a trigger opens. The checks not probed this tick (`probing`)
 * are probed now: the last health tick may predate what fired the trigger (an alertmanager or Prometheus trigger
 * asks its source now), and the incident's Health line would show the result before it. A service that is down
 * often makes its checks time out: the page does not wait past FRESH_ANSWER_MS for them. With the
 * deployment's incident already open, the words go nowhere: nothing is probed.
 */
async function healthNow(
  deps: ProcessorDeps,
  runbook: Runbook,
  deployment: Deployment,
  probing: Probing,
): Promise<string> {
  if (!(await deps.engine.incidents.openFor(deployment.id))) {
    const before = await deps.monitoring.snapshot(deployment.id);
    const stale = before.map((h) => h.id).filter((id) => !probing.answers.has(id));
    // Each result is recorded as it comes, so one check that hangs keeps back only its own.
    const answers = [
      ...probing.answers.values(),
      ...(await probeAndRecord(deps, runbook, deployment, stale, { fresh: true })).answers.values(),
    ];
    if (answers.length > 0) {
      let timer: NodeJS.Timeout | undefined;
      const budget = new Promise<void>((resolve) => {
        timer = setTimeout(resolve, FRESH_ANSWER_MS);
      });
      await Promise.race([Promise.all(answers), budget]);
      clearTimeout(timer);
    }
  }
  return summarizeHealth(await deps.monitoring.snapshot(deployment.id));
}

/**
 * Judges every trigger, each on its own: one whose source is slow to answer (a Prometheus query, a watched check
 * that hangs) holds back only itself. Opens (or adds to) the deployment's incident for each that fires. `probing`:
 * the checks probed for this tick; a health trigger is judged once those it watches answered (a check still
 * outstanding from an earlier tick counts as last seen).
 */
export async function evaluateTriggers(
  deps: ProcessorDeps,
  runbook: Runbook,
  deployment: Deployment,
  cadenceMs: number,
  probing: Probing,
): Promise<void> {
  const now = deps.engine.clock.now();
  let health: Promise<string> | undefined;
  const states = `${deployment.id}:triggers`;
  const previous = await deps.monitoring.snapshot(states);
  let automatic = false;
  const judge = async (trigger: RunbookTrigger): Promise<void> => {
    const watched = (trigger.health ?? []).filter((id) => probing.started.has(id));
    await Promise.all(watched.map((id) => probing.answers.get(id)));
    const verdict = await judgeTrigger(deps, runbook, deployment, trigger);
    await deps.monitoring.record(
      states,
      [
        {
          id: trigger.id,
          passed: verdict.state !== 'firing' && verdict.state !== 'unknown',
          unknown: verdict.state === 'unknown',
          detail: verdict.detail,
        },
      ],
      async () => {},
    );
    if (verdict.state === 'unknown') {
      const before = previous.find((p) => p.id === trigger.id);
      const since = before?.unknown ? before.since : now;
      const allowed = trigger.failing_for ?? 3 * cadenceMs;
      if (now - since >= allowed) {
        const oncall = resolvePeople(runbook, runbook.escalation.levels[0]?.notify ?? []);
        await note(
          deps,
          deployment.id,
          `monitoring-problem:${trigger.id}:${since}`,
          `⚠️ Monitoring problem, not a service failure: the trigger ${trigger.title ?? trigger.id} cannot be judged for ${formatDuration(Math.floor((now - since) / 1000) * 1000)}: ${literal(verdict.detail)}. ${oncall.map((p) => `@{${p}}`).join(' ')} please check the monitoring.`,
        );
      }
      return;
    }
    if (verdict.state !== 'firing') return;
    // Alerts count once per firing (openIncidentFor); other triggers wait a while after a resolve they fired through.
    const was = previous.find((p) => p.id === trigger.id);
    const since = was && !was.passed && !was.unknown ? was.since : now;
    const firing = { since, detail: verdict.detail };
    if (!verdict.alerts && (await waitsAfterResolve(deps, deployment, trigger, firing, cadenceMs))) return;
    health ??= healthNow(deps, runbook, deployment, probing);
    const outcome = await openIncidentFor(deps.engine, {
      deploymentId: deployment.id,
      title: `${trigger.title ?? trigger.id}: ${verdict.detail}, after ${deployment.id} (${deployment.version})`,
      trigger: trigger.id,
      openedBy: 'preflight',
      health: await health,
      ...(verdict.measured && { measured: verdict.measured }),
      // Polled alerts are named as the webhook names them: a later 'resolved' for them is recognised either way.
      ...(verdict.alerts && { alerts: verdict.alerts }),
    });
    // An incident someone declared for the service that this trigger made the deployment's counts as opened here.
    if (!outcome.ok || (outcome.existing && !outcome.linked)) return;
    deps.log.warn(
      { deployment: deployment.id, incident: outcome.incident.id, trigger: trigger.id },
      'rollback trigger fired',
    );
    if (runbook.rollback?.automatic === true && !automatic) {
      automatic = true;
      await applyEvent(deps.engine, deployment.id, {
        type: 'rollback.request',
        by: 'preflight',
        reason: `trigger ${trigger.id} fired (${outcome.incident.id})`,
      });
    }
  };
  const judged = await Promise.allSettled(
    (runbook.rollback?.triggers ?? []).filter((t) => !t.manual).map(judge),
  );
  const failed = judged.find((j) => j.status === 'rejected');
  if (failed) throw failed.reason;
}
