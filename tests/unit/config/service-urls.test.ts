/** A Slack, Discord or PagerDuty URL holding a user and password is refused by the config, naming only the variable. */
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
