/** Fake monitoring (Prometheus, Alertmanager, PagerDuty, health) started by a test and closed after it. */
import { afterEach } from 'vitest';
import { type FakeMonitoring, startFakeMonitoring } from './fake-monitoring.ts';

export interface FakeMonitoringSuite {
  /** Starts the fake with these Prometheus values (`up: '1'` …); it is closed after the test. */
  start(prometheus?: Readonly<Record<string, string>>): Promise<FakeMonitoring>;
}

/** Registers an afterEach that closes the fake the test started, if any. */
export function useFakeMonitoring(): FakeMonitoringSuite {
  let started: FakeMonitoring | undefined;
  afterEach(async () => {
    await started?.close();
    started = undefined;
  });
  return {
    async start(prometheus = {}) {
      started = await startFakeMonitoring();
      for (const [name, value] of Object.entries(prometheus)) started.prometheus.set(name, value);
      return started;
    },
  };
}
