/** The environment variables that hold Preflight's own credentials, and what each one is. */
export const PREFLIGHT_CREDENTIALS: Readonly<Record<string, string>> = {
  SLACK_BOT_TOKEN: "the bot's Slack token",
  SLACK_SIGNING_SECRET: 'the Slack signing secret',
  SLACK_APP_TOKEN: "the bot's Slack app-level token",
  DISCORD_TOKEN: "the bot's Discord token",
  PAGERDUTY_ROUTING_KEY: 'the PagerDuty routing key',
  ALERTMANAGER_WEBHOOK_TOKEN: 'the Alertmanager webhook token',
};
