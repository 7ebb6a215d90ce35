/** A PagerDuty routing key that PagerDuty would refuse is named at start, without showing it. */
import { describe, expect, it } from 'vitest';
import { warnOfOddRoutingKey } from '../../../src/infra/pagerduty-pager.ts';

function warningsFor(key: string): { obj: object; msg?: string }[] {
  const said: { obj: object; msg?: string }[] = [];
  warnOfOddRoutingKey(key, { warn: (obj, msg) => said.push({ obj, ...(msg !== undefined && { msg }) }) });
  return said;
}

describe('PAGERDUTY_ROUTING_KEY at start', () => {
  it('warns when it is not 32 letters and digits, saying where the right key is and not showing it', () => {
    const said = warningsFor('PDKEYSECRET12345');
    expect(said).toHaveLength(1);
    expect(said[0]?.msg).toContain('PAGERDUTY_ROUTING_KEY does not look like an integration key');
    expect(said[0]?.msg).toContain('Events API v2');
    expect(JSON.stringify(said)).not.toContain('SECRET');
    expect(said[0]?.obj).toEqual({ length: 16 });
    expect(warningsFor('https://events.pagerduty.com/v2/enqueue')).toHaveLength(1);
  });

  it('says nothing of an integration key or a ruleset key', () => {
    expect(warningsFor('e93facc04764012d7bfb002500d5d1a6')).toEqual([]);
    expect(warningsFor('R0UTINGKEY0000000000000000000000')).toEqual([]);
  });
});
