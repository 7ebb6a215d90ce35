/** Resolving a runbook's channel names at start, shared by the chat adapters. */

/** Resolves each channel name once; returns those that cannot be used, each logged with why. */
export async function findUnusableChannels(
  names: readonly string[],
  resolve: (name: string) => Promise<unknown>,
  warn: (channel: string, reason: string) => void,
): Promise<string[]> {
  const missing: string[] = [];
  for (const name of new Set(names)) {
    try {
      await resolve(name);
    } catch (error) {
      warn(name, (error as Error).message);
      missing.push(name);
    }
  }
  return missing;
}
