/** The one mapping from what a command threw to the exit code and stderr line (src/cli/exit.ts). */
import { CommanderError } from 'commander';
import { describe, expect, it } from 'vitest';
import { exitFor } from '../../src/cli/exit.js';
import { CommandFailed, UsageError } from '../../src/cli/usage-error.js';
import { ConfigError } from '../../src/kiosk/config.js';
import { RecordError } from '../../src/records/errors.js';
import { KeySetError } from '../../src/trust/keyset.js';

describe('exitFor', () => {
  it('--help and --version exit 0 and commander has written; any other commander refusal is a usage error', () => {
    expect(exitFor(new CommanderError(0, 'commander.helpDisplayed', '(outputHelp)'))).toEqual({ code: 0, line: null });
    expect(exitFor(new CommanderError(1, 'commander.unknownOption', 'unknown option'))).toEqual({ code: 2, line: null });
  });

  it('a usage error exits 2 with its lines, made safe', () => {
    expect(exitFor(new UsageError('config x.yaml:\ndesk.purpose: one of work'))).toEqual({
      code: 2,
      line: 'proofdesk: config x.yaml:\ndesk.purpose: one of work',
    });
    expect(exitFor(new UsageError('bad \u001b[2J name')).line).toBe('proofdesk: bad \uFFFD[2J name');
  });

  it("a library's error (key file, records folder, config) exits 2 with its message", () => {
    expect(exitFor(new KeySetError('KEYSET_EMPTY', 'keys.jwks holds no keys'))).toEqual({
      code: 2,
      line: 'proofdesk: keys.jwks holds no keys',
    });
    expect(exitFor(new RecordError('UNKNOWN_CHECK', 'no check abc')).code).toBe(2);
    expect(exitFor(new ConfigError('CONFIG_SYNTAX', 'not YAML')).code).toBe(2);
  });

  it('a command that could not do its job exits 1', () => {
    expect(exitFor(new CommandFailed('no bridge: HANDSHAKE_TIMEOUT: no answer'))).toEqual({
      code: 1,
      line: 'proofdesk: no bridge: HANDSHAKE_TIMEOUT: no answer',
    });
  });

  it('anything else is an unexpected error: exit 2, one line', () => {
    expect(exitFor(new TypeError('x is undefined\nat y'))).toEqual({
      code: 2,
      line: 'proofdesk: unexpected error: x is undefined\uFFFDat y',
    });
    expect(exitFor('thrown string')).toEqual({ code: 2, line: 'proofdesk: unexpected error: thrown string' });
  });
});
