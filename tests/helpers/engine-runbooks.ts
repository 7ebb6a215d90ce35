/** Inline runbooks for engine tests. Steps append "<deployment> <step> <attempt>" to runs.log in the work folder. */

export const LOG_RUN = 'echo "$PREFLIGHT_DEPLOYMENT_ID $PREFLIGHT_STEP $PREFLIGHT_ATTEMPT" >> runs.log';

/** A runbook around the given steps YAML (indented list items), with one gate `go` that ben approves. */
export function engineRunbook(steps: string, extra = ''): string {
  return `version: 1
service: svc
timezone: UTC
environments: { production: { default: true }, staging: {} }
channels: { deploy: "#deploy", incident: "#incident" }
people:
  ann: { name: Ann, slack: U1 }
  ben: { name: Ben, slack: U2 }
groups: { ops: [ann, ben] }
permissions: { deploy: [ops], rollback: [ops] }
parameters: { version: { pattern: 'v\\d+\\.\\d+\\.\\d+' } }
gates: { go: { approvers: [ops] } }
steps:
${steps}
rollback:
  steps:
    - { id: undo, title: Undo, run: '${LOG_RUN}' }
escalation: { levels: [{ id: L1, notify: [ann], respond_within: 15m }] }
${extra}`;
}
