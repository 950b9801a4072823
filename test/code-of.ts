/**
 * The stable `code` of what a unit refuses with, for the tests of refusals: 'ok' when it does not throw. An error
 * of another class (or without a string `code`) is rethrown, so the wrong kind of failure fails the test; every
 * message must be one line (they end up on stderr and in logs as one line).
 */
import { expect } from 'vitest';

type CodedError = abstract new (...args: never[]) => Error & { readonly code: string };

function codeFrom(err: unknown, kind: CodedError): string {
  if (!(err instanceof kind) || typeof err.code !== 'string') throw err;
  expect(err.message, `${err.code}: a one-line message`).not.toContain('\n');
  return err.code;
}

export function codeOf(fn: () => unknown, kind: CodedError): string {
  try {
    fn();
    return 'ok';
  } catch (err) {
    return codeFrom(err, kind);
  }
}

export async function codeOfAsync(promise: Promise<unknown>, kind: CodedError): Promise<string> {
  try {
    await promise;
    return 'ok';
  } catch (err) {
    return codeFrom(err, kind);
  }
}
