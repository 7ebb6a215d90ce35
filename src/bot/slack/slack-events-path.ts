/** Where Slack sends its requests over HTTP (Bolt's default path for slash commands, events and interactivity). */
export const SLACK_EVENTS_PATH = '/slack/events';
