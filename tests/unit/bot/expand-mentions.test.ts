/** Only Preflight's own `@{person}` tokens become mentions; a platform mention already in the text pings nobody. */
import { describe, expect, it } from 'vitest';
import { expandMentions } from '../../../src/bot/send/expand-mentions.ts';
import type { ChatPort } from '../../../src/core/index.ts';

/** Slack and Discord both write a user mention as `<@id>`. */
const port = {
  userIdOf: (_id: string, person?: { slack?: string }) => person?.slack,
  mention: (userId: string | undefined, name: string) => (userId ? `<@${userId}>` : name),
} as unknown as ChatPort;
const people = { ann: { name: 'Ann', slack: 'U0ANN0001' } };

describe('expandMentions', () => {
  it('mentions the people Preflight names, and makes mentions from outside plain', () => {
    const text =
      'ShopDown <@U0CAROL01> <@!123456789012345678> <@&4242|ops> <!channel>: paged @{ann} and @{!U0BEN0002}';
    expect(expandMentions({ text }, { people }, port).text).toBe(
      'ShopDown @U0CAROL01 @!123456789012345678 @&4242 <!channel>: paged <@U0ANN0001> and <@U0BEN0002>',
    );
  });

  it('makes a mention hidden inside another plain too, however deep', () => {
    const text = 'ask <<@U0CAROL01>> or <<<@!123456789012345678>>> or <<@<@&4242>>>, paged @{ann}';
    expect(expandMentions({ text }, { people }, port).text).toBe(
      'ask @U0CAROL01 or @!123456789012345678 or <<@@&4242>>, paged <@U0ANN0001>',
    );
  });
});
