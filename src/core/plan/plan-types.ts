/** The dry-run plan of a runbook: what would happen, when, and who is involved. */

export interface PlanTime {
  /** ISO 8601 in the runbook's zone, e.g. 2026-01-07T14:00:00+08:00 */
  readonly local: string;
  /** ISO 8601 in UTC, e.g. 2026-01-07T06:00:00Z */
  readonly utc: string;
}

export interface PlanPerson {
  readonly id: string;
  readonly name: string;
  readonly slack?: string;
  readonly discord?: string;
  readonly pagerduty?: string;
  readonly placeholder?: boolean;
}

export interface PlanCommand {
  readonly run?: string;
  readonly argv?: readonly string[];
  readonly expect?: Readonly<Record<string, unknown>>;
  readonly timeout?: string;
}

export interface PlanChecklistItem {
  readonly id: string;
  readonly title: string;
  readonly section?: string;
  readonly kind: 'manual' | 'automated';
  /** Owners as the runbook names them (people or groups). */
  readonly ownerRefs: readonly string[];
  readonly owners: readonly PlanPerson[];
  readonly command?: PlanCommand;
}

export interface PlanContact {
  readonly team: string;
  readonly email?: string;
  readonly channel?: string;
  readonly phone?: string;
}

export interface PlanGate {
  readonly id: string;
  readonly title: string;
  readonly approvers: readonly PlanPerson[];
  readonly required: number;
  readonly expires?: string;
  readonly allowSelf: boolean;
  readonly neededBy: readonly string[];
}

export interface PlanStep {
  readonly id: string;
  readonly label?: string;
  readonly title: string;
  readonly at: PlanTime;
  readonly atText?: string;
  readonly needs: readonly string[];
  readonly command: PlanCommand;
  readonly verify?: PlanCommand;
  readonly timeout: string;
  readonly retries: number;
  readonly idempotent: boolean;
  readonly onFailure: 'stop' | 'rollback' | 'ask';
  /** Due after the deployment window has closed: it is not started on its own, the deployment asks first. */
  readonly afterWindow?: true;
}

export interface PlanEscalationLevel {
  readonly id: string;
  readonly title?: string;
  readonly at: PlanTime;
  readonly after: string;
  readonly notify: readonly PlanPerson[];
  readonly via: readonly string[];
  readonly respondWithin: string;
}

export interface PlanMonitoring {
  readonly id?: string;
  readonly title?: string;
  readonly from: PlanTime;
  readonly to: PlanTime;
  readonly every?: string;
  readonly checks: readonly string[];
  /** Tasks people do in the window; `ownerRefs` names their owners as the runbook does (people or groups). */
  readonly tasks: readonly { title: string; ownerRefs: readonly string[]; owners: readonly PlanPerson[] }[];
}

export interface Plan {
  readonly service: string;
  readonly title?: string;
  readonly environment: string;
  readonly version?: string;
  readonly timezone: string;
  readonly start: PlanTime;
  readonly window?: {
    readonly start: string;
    readonly end: string;
    readonly days?: readonly string[];
    readonly dates?: readonly string[];
    readonly outside: 'refuse' | 'override';
    readonly overrideGate?: string;
    readonly openAtStart: boolean;
    readonly span?: { readonly opens: PlanTime; readonly closes: PlanTime };
  };
  readonly requiredEnv: readonly string[];
  readonly checklist: readonly PlanChecklistItem[];
  readonly gates: readonly PlanGate[];
  readonly steps: readonly PlanStep[];
  readonly finish: PlanTime;
  readonly monitoring: readonly PlanMonitoring[];
  readonly success: readonly {
    id: string;
    title: string;
    at: PlanTime;
    require: readonly string[];
    criteria: readonly string[];
  }[];
  readonly rollback?: {
    readonly triggers: readonly { id: string; title?: string; condition: string }[];
    readonly approvers: readonly PlanPerson[];
    readonly required: number;
    readonly steps: readonly {
      id: string;
      title?: string;
      command: PlanCommand;
      verify?: PlanCommand;
      retries: number;
      idempotent: boolean;
      /** A failure of this step does not fail the rollback. */
      optional?: true;
      /** The rollback stops before this step and asks a person to run or skip it. */
      confirm?: true;
    }[];
  };
  readonly escalation: {
    readonly incidentAt: PlanTime;
    readonly levels: readonly PlanEscalationLevel[];
    readonly repeatLastEvery?: string;
  };
  /** The teams to reach in an incident, as the runbook lists them. */
  readonly contacts: readonly PlanContact[];
  readonly emergency: {
    readonly stop?: PlanCommand;
    readonly logs?: PlanCommand;
    /** Who to reach when everything else fails. */
    readonly contact?: { readonly channel?: string; readonly phone?: string };
  };
}
