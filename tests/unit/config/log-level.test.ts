/** LOG_LEVEL as people write it in a .env file or a compose file: blank is unset, any case is the level. */
import { describe, expect, it } from 'vitest';
import { readConfig } from '../../../src/config/config.ts';

describe('LOG_LEVEL', () => {
  it('takes a blank as unset and a level in any case, with blanks around it', () => {
    expect(readConfig({ LOG_LEVEL: '' }).logLevel).toBe('info');
    expect(readConfig({ LOG_LEVEL: '  ' }).logLevel).toBe('info');
    expect(readConfig({ LOG_LEVEL: 'DEBUG' }).logLevel).toBe('debug');
    expect(readConfig({ LOG_LEVEL: ' warn ' }).logLevel).toBe('warn');
  });

  it('refuses a word that is no level in one line naming the variable and the levels', () => {
    expect(() => readConfig({ LOG_LEVEL: 'loud' })).toThrow(
      'LOG_LEVEL must be one of fatal, error, warn, info, debug, trace, silent (got "loud")',
    );
  });
});
