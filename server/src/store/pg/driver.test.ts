import pg from 'pg';
import { describe, expect, it } from 'vitest';
import { isRetryable } from './driver.ts';

/** Builds an error as `pg` raises it for an ERROR message of the server. */
function serverError(code: string, message: string): pg.DatabaseError {
  const error = new pg.DatabaseError(message, message.length, 'error');
  error.code = code;
  return error;
}

describe('retry of a failed PostgreSQL transaction', () => {
  it.each([
    { name: 'serialization failure', error: serverError('40001', 'could not serialize access due to read/write dependencies among transactions'), retryable: true },
    { name: 'deadlock', error: serverError('40P01', 'deadlock detected'), retryable: true },
    { name: 'full lock table', error: serverError('53200', 'out of shared memory'), retryable: true },
    { name: 'process out of memory', error: serverError('53200', 'out of memory'), retryable: false },
    { name: 'unique violation', error: serverError('23505', 'duplicate key value violates unique constraint "events_pkey"'), retryable: false },
    { name: 'error of the application', error: new Error('out of shared memory'), retryable: false },
  ])('$name: retryable $retryable', ({ error, retryable }) => {
    expect(isRetryable(error)).toBe(retryable);
  });
});
