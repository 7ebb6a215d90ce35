/**
 * The fault run's runbooks: one service per lane, each with its own deploy channel (Slack paces one message a
 * second per channel), a two-person gate, a non-idempotent step and an idempotent one that count their own runs
 * in files, and a rollback. Second-scale throughout.
 */
import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';

export const ANN = 'U0ANN0001';
export const BEN = 'U0BEN0001';
export const CAT = 'U0CAT0001';

/** The services, e.g. `lane0` … `lane9`, and their channels `#lane0` …. */
export function laneNames(lanes: number): string[] {
  return Array.from({ length: lanes }, (_, i) => `lane${i}`);
}

const runbook = (service: string) => `version: 1
service: ${service}
timezone: UTC
environments: { production: { default: true } }
channels: { deploy: "#${service}", incident: "#incident-response" }
people:
  ann: { name: Ann, slack: ${ANN} }
  ben: { name: Ben, slack: ${BEN} }
  cat: { name: Cat, slack: ${CAT} }
groups: { ops: [ann, ben, cat] }
permissions: { deploy: [ops], rollback: [ops], abort: [ops], decide: [ops], incident: [ops] }
gates:
  go: { title: Go, approvers: [ops], required: 2 }
steps:
  - id: migrate
    title: Migrate
    needs: [go]
    run: 'echo "$PREFLIGHT_DEPLOYMENT_ID" >> migrate.runs; sleep 0.4'
    idempotent: false
    on_failure: ask
  - id: build
    title: Build
    run: 'echo "$PREFLIGHT_DEPLOYMENT_ID" >> build.runs; sleep 0.4'
    idempotent: true
    retries: 5
rollback:
  steps:
    - { id: undo, title: Undo, run: 'echo "$PREFLIGHT_DEPLOYMENT_ID" >> undo.runs', idempotent: true, retries: 5 }
escalation: { levels: [{ id: L1, notify: [ann], respond_within: 15m }] }
`;

/** Writes one runbook per lane into `dir` (the steps' work folder too). */
export async function writeFaultRunbooks(dir: string, lanes: readonly string[]): Promise<void> {
  await mkdir(dir, { recursive: true });
  for (const lane of lanes) await writeFile(join(dir, `${lane}.yaml`), runbook(lane));
}
