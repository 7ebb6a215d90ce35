/** `preflight audit verify <id>` and `preflight audit export <id>`: the hash-chained audit log. */

import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { foldDeploymentId, INCIDENT_ID } from '../commands/find-deployment.ts';
import { countOf, serviceSpelling, verifyAuditChain } from '../core/index.ts';
import { createPreflight } from '../main.ts';
import { CliError } from './cli-error.ts';
import { DEMO_DIR } from './demo-sandbox.ts';
import { warnThePerson } from './person-warnings.ts';
import type { Output } from './validate-command.ts';
import { readConfigOrExit } from './worker-command.ts';

/**
 * The id as the log is kept under, as chat takes it in any case: an incident's upper-case (`inc-3` is `INC-3`), a
 * deployment's lower-case (`SHOP-12` is `shop-12`), and the service of `service:<name>` and
 * `lock:<service>:<environment>` by its runbook's spelling (`service:Shop` is `service:shop`).
 */
function storedId(id: string): string {
  if (INCIDENT_ID.test(id)) return id.toUpperCase();
  const named = /^(service|lock):([^:]+)(:.*)?$/i.exec(id);
  if (!named) return foldDeploymentId(id);
  const [, kind = '', service = '', rest = ''] = named;
  return `${kind.toLowerCase()}:${serviceSpelling(service)}${rest}`;
}

/** The longest id an audit log can be kept under: a lock's, of a service and an environment of 63 characters each. */
const MAX_ID = 200;

const ID_USAGE =
  'give a deployment id (sparkle-12), an incident id (INC-3), service:<name> (refusals for a service) or lock:<service>:<environment>';

/**
 * Verifies (exit 0, or 1 naming the first bad record) or exports (JSON lines) the audit log of a deployment
 * (`sparkle-12`) or an incident (`INC-3`). A deployment's export is followed by the logs of its incidents.
 */
export async function runAudit(
  action: 'verify' | 'export',
  typed: string,
  env: Record<string, string | undefined>,
  io: Output,
): Promise<number> {
  // A usage error, said before any Redis is reached: no log is kept under an empty or a kilobytes-long id.
  if (typed.trim() === '') throw new CliError(`audit ${action}: the id is empty; ${ID_USAGE}`, 2);
  if (typed.length > MAX_ID)
    throw new CliError(
      `audit ${action}: the id is ${typed.length.toLocaleString('en')} characters, at most ${MAX_ID}; ${ID_USAGE}`,
      2,
    );
  const id = storedId(typed);
  const config = readConfigOrExit({ ...env, LOG_LEVEL: env.LOG_LEVEL ?? 'warn' });
  // Logs go to stderr: stdout is the export, read by jq and archives.
  const logDestination = process.stderr;
  const warn = warnThePerson();
  // What is audited is in Redis (each deployment pins its runbook there): RUNBOOK is not needed, nor read.
  const open = (embeddedRedisDir?: string) =>
    createPreflight({
      config,
      env,
      work: false,
      logDestination,
      readRunbooks: false,
      warn,
      ...(embeddedRedisDir !== undefined && { embeddedRedisDir }),
    });
  let preflight = await open();
  // What is being read, for a key that holds another kind of Redis value than the log or the head it should.
  let reading: 'log' | 'head' = 'log';
  try {
    let records = await preflight.engine.store.audit(id);
    if (records.length === 0 && config.redis === undefined && existsSync(join(DEMO_DIR, 'redis'))) {
      // `npm run demo` ends with this command for its deployment, whose Redis is the demo's own.
      await preflight.stop();
      preflight = await open(join(DEMO_DIR, 'redis'));
      records = await preflight.engine.store.audit(id);
      if (records.length > 0) io.err(`(${id} is in the demo's data, ${DEMO_DIR}/redis)`);
    }
    reading = 'head';
    const head = await preflight.engine.store.auditHead(id);
    reading = 'log';
    if (records.length === 0 && head === undefined) {
      // The deployment or incident is still there: its log was written once, so it was removed.
      const exists = (await preflight.engine.store.get(id)) ?? (await preflight.engine.incidents.get(id));
      if (exists)
        throw new CliError(
          `${id}: audit log REMOVED: ${id} exists, but its audit log and the head kept apart from it are both gone`,
          1,
        );
      throw new CliError(`no audit log for "${id}"; ${ID_USAGE}`, 1);
    }
    if (action === 'export') {
      for (const record of records) io.out(JSON.stringify(record));
      const deployment = await preflight.engine.store.get(id);
      const incidents = deployment
        ? await preflight.engine.incidents.list({ service: deployment.service, limit: 500 })
        : [];
      for (const incident of incidents.filter((i) => i.deploymentId === id).reverse())
        for (const record of await preflight.engine.incidents.audit(incident.id))
          io.out(JSON.stringify(record));
      return 0;
    }
    const verdict = verifyAuditChain(records, head);
    if (verdict.ok && head === undefined) {
      // The records agree with each other, but without the head a removed tail would not show: not a pass.
      io.err(
        `${id}: audit log UNCONFIRMED: its ${countOf(records.length, 'record')} link up, but the head kept apart from them is missing (deleted, or never written), so records removed from its end would not show`,
      );
      return 1;
    }
    if (verdict.ok) {
      const last = records[records.length - 1];
      io.out(
        `${id}: audit log intact: ${countOf(verdict.records, 'record')}, last ${last?.type} at ${last?.at}, head ${last?.hash.slice(0, 16)}`,
      );
      return 0;
    }
    io.err(`${id}: audit log TAMPERED at record ${verdict.seq}: ${verdict.reason}`);
    return 1;
  } catch (error) {
    if (error instanceof CliError) throw error;
    // Redis refuses to read a list as text or text as a list: someone wrote over the key, which is tampering.
    if ((error as Error).message.startsWith('WRONGTYPE')) {
      io.err(
        `${id}: audit log TAMPERED: its ${reading} was replaced by another kind of value (it was overwritten)`,
      );
      return 1;
    }
    // Redis went away mid-read (a failover still under way): one line, and the command can be run again.
    throw new CliError(
      `could not read the audit log of "${id}" from Redis: ${(error as Error).message.split('\n')[0]}; run it again once Redis answers`,
      2,
    );
  } finally {
    await preflight.stop();
  }
}
