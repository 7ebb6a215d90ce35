/** `preflight audit verify <id>` and `preflight audit export <id>`: the hash-chained audit log. */
import { verifyAuditChain } from '../core/index.ts';
import { createPreflight } from '../main.ts';
import { CliError } from './cli-error.ts';
import type { Output } from './validate-command.ts';
import { readConfigOrExit } from './worker-command.ts';

/** Verifies (exit 0, or 1 naming the first bad record) or exports (JSON lines) a deployment's audit log. */
export async function runAudit(
  action: 'verify' | 'export',
  id: string,
  env: Record<string, string | undefined>,
  io: Output,
): Promise<number> {
  const config = readConfigOrExit({ ...env, LOG_LEVEL: env.LOG_LEVEL ?? 'warn' });
  const preflight = await createPreflight({ config, env, work: false });
  try {
    const records = await preflight.engine.store.audit(id);
    if (records.length === 0)
      throw new CliError(`no audit log for "${id}"; is it a deployment id like sparkle-12?`, 1);
    if (action === 'export') {
      for (const record of records) io.out(JSON.stringify(record));
      return 0;
    }
    const verdict = verifyAuditChain(records);
    if (verdict.ok) {
      const last = records[records.length - 1];
      io.out(
        `${id}: audit log intact: ${verdict.records} records, last ${last?.type} at ${last?.at}, head ${last?.hash.slice(0, 16)}`,
      );
      return 0;
    }
    io.err(`${id}: audit log TAMPERED at record ${verdict.seq}: ${verdict.reason}`);
    return 1;
  } finally {
    await preflight.stop();
  }
}
