/** Prometheus metrics for /metrics: Preflight's own counters plus BullMQ queue gauges. */
import client from 'prom-client';

export interface Metrics {
  readonly registry: client.Registry;
  readonly commands: client.Counter<'command' | 'outcome'>;
  readonly chatSends: client.Counter<'platform' | 'outcome'>;
  /** Adds a collector run on every scrape (queue depths, deployments by state). */
  onScrape(collect: () => Promise<string>): void;
  render(): Promise<{ contentType: string; body: string }>;
}

/** Creates the registry with default process metrics under `preflight_`. */
export function createMetrics(): Metrics {
  const registry = new client.Registry();
  client.collectDefaultMetrics({ register: registry, prefix: 'preflight_' });
  const commands = new client.Counter({
    name: 'preflight_chat_commands_total',
    help: 'Chat commands handled, by command and outcome (ok, refused, error).',
    labelNames: ['command', 'outcome'] as const,
    registers: [registry],
  });
  const chatSends = new client.Counter({
    name: 'preflight_chat_sends_total',
    help: 'Chat messages sent, by platform and outcome (sent, rate_limited, retry, drop).',
    labelNames: ['platform', 'outcome'] as const,
    registers: [registry],
  });
  const extra: (() => Promise<string>)[] = [];
  return {
    registry,
    commands,
    chatSends,
    onScrape: (collect) => extra.push(collect),
    async render() {
      const parts = [await registry.metrics(), ...(await Promise.all(extra.map((c) => c().catch(() => ''))))];
      return { contentType: registry.contentType, body: parts.filter(Boolean).join('\n') };
    },
  };
}
