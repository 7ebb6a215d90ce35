/** A channel named in the runbook as both Slack and Discord write a link to it: `<#id>`; the name when it is unknown. */
export async function channelMention(
  resolve: (channel: string) => Promise<string>,
  channel: string,
): Promise<string> {
  try {
    return `<#${await resolve(channel)}>`;
  } catch {
    return channel;
  }
}
