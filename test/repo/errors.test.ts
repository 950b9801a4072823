/**
 * One error base: every error class proofdesk exports extends ProofdeskError (a stable string `code`, the subclass's
 * `name`, the `cause` carried). The source is read too, so a new exported error class on a plain Error fails here.
 */
import { readdirSync, readFileSync, statSync } from 'node:fs';
import * as path from 'node:path';
import { describe, expect, it } from 'vitest';
import { BridgeError } from '../../src/bridge/errors.js';
import { CentralError } from '../../src/central/errors.js';
import { CommandFailed, UsageError } from '../../src/cli/usage-error.js';
import { CredentialError } from '../../src/credential/errors.js';
import { ProofdeskError } from '../../src/errors.js';
import * as api from '../../src/index.js';
import { IssueError } from '../../src/issue/errors.js';
import { ConfigError } from '../../src/kiosk/config.js';
import { KioskError } from '../../src/kiosk/kiosk.js';
import { RecordError } from '../../src/records/errors.js';
import { ScanError } from '../../src/scan/errors.js';
import { WebDisplayError } from '../../src/screen/web/server.js';
import { TrustError } from '../../src/trust/errors.js';
import { KeySetError } from '../../src/trust/keyset.js';

const SRC = path.resolve(import.meta.dirname, '../../src');

const cause = new Error('underneath');
const made: Record<string, ProofdeskError> = {
  BridgeError: new BridgeError('PROTOCOL_MISMATCH', 'm', { cause }),
  CentralError: new CentralError('UNREACHABLE', 'm', { cause }),
  UsageError: new UsageError('m', { cause }),
  CommandFailed: new CommandFailed('m', { cause }),
  CredentialError: new CredentialError('CBOR_INVALID', 'm', { cause }),
  IssueError: new IssueError('FILE_UNREADABLE', 'm', { cause }),
  ConfigError: new ConfigError('CONFIG_INVALID', 'm', { cause }),
  KioskError: new KioskError('TRUST_UNAVAILABLE', 'm', { cause }),
  RecordError: new RecordError('BAD_ARGUMENT', 'm', { cause }),
  ScanError: new ScanError('OPEN_FAILED', 'm', { cause }),
  WebDisplayError: new WebDisplayError('PORT_IN_USE', 'm', { cause }),
  TrustError: new TrustError('FILE_UNREADABLE', 'm', { cause }),
  KeySetError: new KeySetError('KEYSET_EMPTY', 'm', { cause }),
};

function files(dir: string): string[] {
  return readdirSync(dir).flatMap((n) => {
    const abs = path.join(dir, n);
    return statSync(abs).isDirectory() ? files(abs) : n.endsWith('.ts') ? [abs] : [];
  });
}

describe('ProofdeskError', () => {
  it.each(Object.entries(made))('%s extends it, with its name, a string code and the cause', (name, err) => {
    expect(err).toBeInstanceOf(ProofdeskError);
    expect(err).toBeInstanceOf(Error);
    expect(err.name).toBe(name);
    expect(typeof err.code).toBe('string');
    expect(err.code.length).toBeGreaterThan(0);
    expect(err.message).toBe('m');
    expect(err.cause).toBe(cause);
  });

  it('a cause is optional', () => {
    expect(new TrustError('FILE_UNREADABLE', 'm').cause).toBeUndefined();
    expect(new ProofdeskError('X', 'm').name).toBe('ProofdeskError');
  });

  it('is part of the library API, with the error classes it exports', () => {
    expect(api.ProofdeskError).toBe(ProofdeskError);
    for (const cls of [api.CredentialError, api.KeySetError, api.TrustError, api.RecordError, api.BridgeError]) {
      expect(cls.prototype).toBeInstanceOf(ProofdeskError);
    }
  });

  it('every exported error class in src/ is one of the above (none extends a plain Error)', () => {
    const found = files(SRC).flatMap((f) =>
      [...readFileSync(f, 'utf8').matchAll(/^export class (\w+) extends (\w+)/gm)]
        .filter((m) => m[2] === 'Error' || m[2] === 'ProofdeskError')
        .map((m) => `${m[1]} extends ${m[2]}`),
    );
    // TransactionAbort: a control-flow signal inside central/, never reported (see its comment).
    const expected = [
      'ProofdeskError extends Error',
      'TransactionAbort extends Error',
      ...Object.keys(made).map((n) => `${n} extends ProofdeskError`),
    ];
    expect(found.sort()).toEqual(expected.sort());
  });
});
