/**
 * The direct-message channels a chat port opened, remembered by id, so a post into one is named in errors as what
 * it is (`a direct message to U0BEN0001`), not as a bare channel id nobody recognises.
 */
export interface DirectChannels {
  /** Opens (or finds) the direct-message channel with a user and remembers it. */
  open(userId: string): Promise<string>;
  /** How a post to `channel` is named: the direct message it is, or the channel as given. */
  label(channel: string): string;
}

export function rememberDirectChannels(open: (userId: string) => Promise<string>): DirectChannels {
  const users = new Map<string, string>();
  return {
    async open(userId) {
      const channel = await open(userId);
      users.set(channel, userId);
      return channel;
    },
    label(channel) {
      const user = users.get(channel);
      return user === undefined ? channel : `a direct message to ${user}`;
    },
  };
}
