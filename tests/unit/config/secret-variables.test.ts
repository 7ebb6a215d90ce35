/** A bad credential variable is named and described, never echoed: the error line reaches logs and terminals. */
import { describe, expect, it } from 'vitest';
import { readConfig } from '../../../src/config/config.ts';

const error = (env: Record<string, string>) => {
  try {
    readConfig(env);
  } catch (e) {
    return (e as Error).message;
  }
  return 'no error';
};

describe('bad credential variables', () => {
  it('say which variable and what is wrong, without the value', () => {
    const user = error({
      SLACK_BOT_TOKEN: 'xoxp-1234567890-SECRETUSERTOKENVALUE',
      SLACK_SIGNING_SECRET: 'abc',
    });
    expect(user).toMatch(/^SLACK_BOT_TOKEN must be a bot token starting with xoxb-/);
    expect(user).toContain('(got 36 characters starting "xoxp-…")');
    expect(user).not.toContain('SECRETUSERTOKENVALUE');
    const app = error({
      SLACK_BOT_TOKEN: 'xoxb-1-2-abc',
      SLACK_SIGNING_SECRET: 'abc',
      SLACK_APP_TOKEN: 'xoxb-PASTEDBOTTOKENSECRET123',
    });
    expect(app).toMatch(/^SLACK_APP_TOKEN /);
    expect(app).not.toContain('PASTEDBOTTOKENSECRET123');
    // A value with no kind's prefix shows none of its characters.
    const bare = error({ SLACK_BOT_TOKEN: '8f14e45fceea167a5a36dedd4bea2543', SLACK_SIGNING_SECRET: 'abc' });
    expect(bare).toContain('(got 32 characters)');
    expect(bare).not.toContain('8f14');
    expect(
      error({
        SLACK_BOT_TOKEN: 'xoxb-1-2-abc',
        SLACK_SIGNING_SECRET: 'abc',
        SLACK_APP_TOKEN: 'SECRETAPPTOKEN',
      }),
    ).not.toContain('SECRE');
  });

  it('still show a bad value of a plain variable, so the mistake can be seen', () => {
    expect(error({ PORT: 'eighty' })).toContain('(got "eighty")');
  });
});

// A Slack, Discord or PagerDuty URL holding a user and password is refused by the config, naming only the variable.
describe('service URLs with a user and password', () => {
  it.each([
    ['SLACK_API_URL', 'https://slack.com/api/'],
    ['DISCORD_API_URL', 'https://discord.com/api'],
    ['PAGERDUTY_EVENTS_URL', 'https://events.pagerduty.com/v2/enqueue'],
  ])('%s is refused in one line, without the password', (name, example) => {
    const line = error({ [name]: 'http://proxyuser:proxy-pa55word@127.0.0.1:1/api/' });
    expect(line).toBe(
      `${name} must hold no user or password, since Preflight authorizes with its own token; give the URL without them, like ${example} (got "http://…@127.0.0.1:1/api/")`,
    );
    expect(line).not.toContain('proxy-pa55word');
    expect(error({ [name]: 'http://127.0.0.1:1/api/' })).toBe('no error');
  });

  it('PROMETHEUS_URL and ALERTMANAGER_URL keep theirs: they are sent as basic auth', () => {
    const config = readConfig({
      PROMETHEUS_URL: 'http://prom:pw@localhost:9090',
      ALERTMANAGER_URL: 'http://am:pw@localhost:9093',
    });
    expect(config.prometheusUrl).toBe('http://prom:pw@localhost:9090');
    expect(config.alertmanagerUrl).toBe('http://am:pw@localhost:9093');
  });
});
