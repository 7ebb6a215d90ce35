/**
 * One emergency stop at a time per service and environment, whichever way it was asked for (`/deploy abort
 * --emergency`, an incident's Emergency stop): two stop scripts at once on one system can fight. `begin` takes
 * the service/environment for a run (its job id: the same job handled again after a crash begins again) for at
 * most `ms`, and resolves undefined; while another run holds it, it resolves with that run's `who` (who asked,
 * and where its output goes). `end` gives it back, if that run still holds it.
 */
export interface EmergencyRuns {
  begin(
    target: EmergencyTarget,
    run: { readonly id: string; readonly who: string },
    ms: number,
  ): Promise<string | undefined>;
  end(target: EmergencyTarget, runId: string): Promise<void>;
  /** Who asked for the stop under way on `target` and where its output goes, or undefined when none runs. */
  holder(target: EmergencyTarget): Promise<string | undefined>;
}

/** The system an emergency stop acts on. */
export interface EmergencyTarget {
  readonly service: string;
  readonly environment: string;
}
