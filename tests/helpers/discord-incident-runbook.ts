/** A toy runbook for Discord incident tests: L1 (Alice) has 2 s to answer, then L2 (Carol, the lead) is paged. */
import { ALICE, BOB, CAROL, DAVE, ERIN } from './discord-suite.ts';

export const L1_FAST_RUNBOOK = `version: 1
service: toy
timezone: UTC
environments: { production: { default: true } }
channels: { deploy: "#deployments", incident: "#incident-response" }
people:
  alice: { name: Alice, discord: "${ALICE}" }
  bob: { name: Bob, discord: "${BOB}" }
  carol: { name: Carol, discord: "${CAROL}" }
  dave: { name: Dave, discord: "${DAVE}" }
  erin: { name: Erin, discord: "${ERIN}" }
groups: { oncall: [alice, bob], lead: [carol] }
permissions: { deploy: [oncall], rollback: [oncall], incident: [oncall, lead] }
steps:
  - { id: ship, title: Ship, run: 'echo shipped' }
rollback:
  triggers:
    - { id: declared, manual: true }
  steps:
    - { id: undo, title: Undo, run: 'echo undone' }
escalation:
  levels:
    - { id: L1, notify: [alice], via: [mention], respond_within: 2s }
    - { id: L2, notify: [lead], via: [mention, dm], respond_within: 1m }
`;
