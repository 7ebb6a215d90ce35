/** Requests no Preflight listener takes, as Slack sends them: shortcuts, a closed form, an unknown command name. */
import { DEPLOY_CHANNEL } from './fake-slack-api.ts';
import { FORM, type SlackRequest, slackFixture } from './signed-slack.ts';

const team = { id: 'T0001', domain: 'example' };

/** A global shortcut (from the search bar or the + menu): no channel, no response_url. */
export const globalShortcut = (user: string) => ({
  type: 'shortcut',
  token: 'legacy-verification-token',
  action_ts: `${(Date.now() / 1000).toFixed(6)}`,
  team,
  user: { id: user, username: 'ann', team_id: 'T0001' },
  is_enterprise_install: false,
  callback_id: 'open_deploy_form',
  trigger_id: `trigger-shortcut-${Date.now()}`,
});

/** A shortcut on a message, answerable at its response_url. */
export const messageShortcut = (user: string, responseUrl: string) => ({
  type: 'message_action',
  token: 'legacy-verification-token',
  action_ts: `${(Date.now() / 1000).toFixed(6)}`,
  team,
  user: { id: user, name: 'ann' },
  channel: { id: DEPLOY_CHANNEL, name: 'deployments' },
  is_enterprise_install: false,
  callback_id: 'approve_from_message',
  trigger_id: `trigger-message-shortcut-${Date.now()}`,
  response_url: responseUrl,
  message_ts: '1764751234.000200',
  message: { type: 'message', text: 'hello', ts: '1764751234.000200', user },
});

/** The person closed a form (a modal opened with notify_on_close). */
export const viewClosed = (user: string) => ({
  type: 'view_closed',
  team,
  user: { id: user, name: 'ann' },
  is_enterprise_install: false,
  view: { id: 'V0FORM', type: 'modal', callback_id: 'deploy_form', state: { values: {} } },
  is_cleared: false,
});

/** An interactivity payload as POSTed to /slack/events. */
export const interactive = (payload: unknown): SlackRequest => ({
  body: new URLSearchParams({ payload: JSON.stringify(payload) }).toString(),
  contentType: FORM,
});

/** A slash command's fields with any name (Slack lets an app register `/déployer`). */
export const commandNamed = (name: string, user: string, responseUrl: string) => ({
  ...(slackFixture('slash-command') as Record<string, string>),
  user_id: user,
  command: name,
  text: 'start unhandled v1.0.0',
  channel_id: DEPLOY_CHANNEL,
  response_url: responseUrl,
  trigger_id: `trigger-${name.length}-${Date.now()}`,
});

/** An interactive payload of a type Slack may add later: Bolt cannot place it. */
export const unknownInteractive = (user: string) => ({
  type: 'workflow_frobnicate',
  token: 'legacy-verification-token',
  team,
  user: { id: user, name: 'ann' },
  trigger_id: `trigger-unknown-${Date.now()}`,
});

/** A legacy dialog submitted (Preflight never opens one): Bolt places it, no listener takes it. */
export const dialogSubmission = (user: string, responseUrl: string) => ({
  type: 'dialog_submission',
  token: 'legacy-verification-token',
  team,
  user: { id: user, name: 'ann' },
  channel: { id: DEPLOY_CHANNEL, name: 'deployments' },
  callback_id: 'old_dialog',
  submission: { reason: 'x' },
  response_url: responseUrl,
});

/** A legacy attachment button pressed (Preflight posts none). */
export const attachmentButton = (user: string, responseUrl: string) => ({
  type: 'interactive_message',
  token: 'legacy-verification-token',
  team,
  user: { id: user, name: 'ann' },
  channel: { id: DEPLOY_CHANNEL, name: 'deployments' },
  callback_id: 'old_attachment',
  actions: [{ name: 'approve', type: 'button', value: 'toy-1:go' }],
  response_url: responseUrl,
});
