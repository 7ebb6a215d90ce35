/** The sandbox toy's critical ToyServiceDown alert, as Alertmanager would send it. */

/** `webhook` (an Alertmanager v4 payload) with its group and alerts replaced by one firing ToyServiceDown alert. */
export function toyDownAlert(webhook: Record<string, unknown>) {
  return {
    ...webhook,
    groupKey: '{}:{alertname="ToyServiceDown"}',
    alerts: [
      {
        status: 'firing',
        labels: { alertname: 'ToyServiceDown', service: 'toy', severity: 'critical' },
        annotations: { summary: 'toy is down' },
        startsAt: '2026-11-26T10:00:00Z',
        endsAt: '0001-01-01T00:00:00Z',
        fingerprint: 'aaaa',
      },
    ],
  };
}
