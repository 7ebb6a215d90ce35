/** Waits for SIGTERM or SIGINT, so a process can stop its workers gracefully. */
export function waitForShutdown(log: { info(o: object, m?: string): void }): Promise<void> {
  return new Promise((resolve) => {
    const stop = (signal: NodeJS.Signals) => {
      log.info({ signal }, 'shutting down: finishing running jobs');
      process.off('SIGTERM', stop);
      process.off('SIGINT', stop);
      resolve();
    };
    process.on('SIGTERM', stop);
    process.on('SIGINT', stop);
  });
}
