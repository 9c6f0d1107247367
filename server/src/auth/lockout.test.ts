import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { DEFAULT_LOCKOUT, lockedMessage, LoginLockout, usernameLogId, type LockoutSettings } from './lockout.ts';

const MINUTE = 60_000;

function manualClock(): { now: () => number; advance(ms: number): void } {
  let ms = 0;
  return {
    now: () => ms,
    advance: (step) => {
      ms += step;
    },
  };
}

const SETTINGS: LockoutSettings = {
  perUsername: { maxFailures: 5, windowMs: 15 * MINUTE, lockMs: 15 * MINUTE },
  perAddress: { maxFailures: 8, windowMs: 15 * MINUTE, lockMs: 30 * MINUTE },
};

describe('LoginLockout', () => {
  it('locks a username at the fifth failure for 15 minutes', () => {
    const clock = manualClock();
    const lockout = new LoginLockout(SETTINGS, clock.now);

    for (let i = 0; i < 4; i += 1) {
      expect(lockout.check('agente1', '10.0.0.1')).toBeNull();
      expect(lockout.recordFailure('agente1', '10.0.0.1')).toBeNull();
    }
    expect(lockout.recordFailure('agente1', '10.0.0.1')).toEqual({ scope: 'username', retryAfterMs: 15 * MINUTE });

    clock.advance(10 * MINUTE);
    expect(lockout.check('agente1', '10.0.0.2')).toEqual({ scope: 'username', retryAfterMs: 5 * MINUTE });
    clock.advance(5 * MINUTE);
    expect(lockout.check('agente1', '10.0.0.1')).toBeNull();
  });

  it('counts failures in a sliding window', () => {
    const clock = manualClock();
    const lockout = new LoginLockout(SETTINGS, clock.now);

    for (let i = 0; i < 4; i += 1) {
      lockout.recordFailure('agente1', '10.0.0.1');
      clock.advance(4 * MINUTE);
    }
    // The first failure is now 16 minutes old, so this is the fourth inside the window.
    expect(lockout.recordFailure('agente1', '10.0.0.1')).toBeNull();
    expect(lockout.recordFailure('agente1', '10.0.0.1')).toMatchObject({ scope: 'username' });
  });

  it('resets the username count on success', () => {
    const lockout = new LoginLockout(SETTINGS, manualClock().now);
    for (let i = 0; i < 4; i += 1) lockout.recordFailure('agente1', '10.0.0.1');
    lockout.recordSuccess('agente1');
    // Another address, so that only the username's count can lock.
    for (let i = 0; i < 4; i += 1) expect(lockout.recordFailure('agente1', '10.0.0.2')).toBeNull();
  });

  it('keeps the address count after a success', () => {
    const lockout = new LoginLockout(SETTINGS, manualClock().now);
    for (let i = 0; i < 7; i += 1) {
      lockout.recordFailure(`usuario${i}`, '10.0.0.9');
      lockout.recordSuccess('agente1');
    }
    expect(lockout.recordFailure('otro', '10.0.0.9')).toEqual({ scope: 'address', retryAfterMs: 30 * MINUTE });
    expect(lockout.check('agente1', '10.0.0.9')).toEqual({ scope: 'address', retryAfterMs: 30 * MINUTE });
    expect(lockout.check('agente1', '10.0.0.10')).toBeNull();
  });

  it.each(['Agente1', ' agente1 ', 'AGENTE1'])('treats %j as the same username', (variant) => {
    const lockout = new LoginLockout(SETTINGS, manualClock().now);
    for (let i = 0; i < 5; i += 1) lockout.recordFailure(i % 2 === 0 ? 'agente1' : variant, `10.0.0.${i}`);
    expect(lockout.check(variant, '10.9.9.9')).toMatchObject({ scope: 'username' });
  });

  it('locks unknown usernames like known ones', () => {
    const lockout = new LoginLockout(SETTINGS, manualClock().now);
    for (let i = 0; i < 5; i += 1) lockout.recordFailure('nadie-existe', '10.0.0.1');
    expect(lockout.check('nadie-existe', '10.0.0.1')).toMatchObject({ scope: 'username' });
  });

  it('bounds memory under a flood of usernames', () => {
    const lockout = new LoginLockout(DEFAULT_LOCKOUT, manualClock().now, 200);
    for (let i = 0; i < 5_000; i += 1) lockout.recordFailure(`u${i}`, `10.0.${i % 250}.1`);
    expect(lockout.size.usernames).toBeLessThanOrEqual(200);
    expect(lockout.size.addresses).toBeLessThanOrEqual(200);
  });

  it('keeps a lock when a flood pushes out old entries', () => {
    const lockout = new LoginLockout(SETTINGS, manualClock().now, 100);
    for (let i = 0; i < 5; i += 1) lockout.recordFailure('agente1', `10.1.0.${i}`);
    for (let i = 0; i < 150; i += 1) lockout.recordFailure(`u${i}`, `10.2.${i % 200}.1`);
    expect(lockout.check('agente1', '10.3.0.1')).toMatchObject({ scope: 'username' });
  });

  it.each([
    { case: 'zero failures', policy: { maxFailures: 0, windowMs: MINUTE, lockMs: MINUTE } },
    { case: 'a zero window', policy: { maxFailures: 5, windowMs: 0, lockMs: MINUTE } },
    { case: 'a negative lock', policy: { maxFailures: 5, windowMs: MINUTE, lockMs: -1 } },
  ])('rejects a policy with $case', ({ policy }) => {
    expect(() => new LoginLockout({ perUsername: policy, perAddress: SETTINGS.perAddress })).toThrow(/Invalid lockout policy for perUsername/);
  });

  it('never lets more than maxFailures guesses through per window', () => {
    fc.assert(
      fc.property(fc.array(fc.record({ gap: fc.integer({ min: 0, max: 3 * MINUTE }), success: fc.boolean() }), { maxLength: 200 }), (steps) => {
        const clock = manualClock();
        const lockout = new LoginLockout(SETTINGS, clock.now);
        // Failed guesses that reached the password check, as times, for an attacker who never has the password.
        const guesses: number[] = [];
        for (const step of steps) {
          clock.advance(step.gap);
          if (lockout.check('agente1', '10.0.0.1') !== null) continue;
          guesses.push(clock.now());
          lockout.recordFailure('agente1', '10.0.0.1');
        }
        for (const start of guesses) {
          const inWindow = guesses.filter((at) => at >= start && at < start + SETTINGS.perUsername.windowMs);
          expect(inWindow.length).toBeLessThanOrEqual(SETTINGS.perUsername.maxFailures);
        }
      }),
    );
  });
});

describe('lockedMessage', () => {
  const now = new Date('2026-12-04T10:00:00-05:00');

  it.each([
    [
      { scope: 'username' as const, retryAfterMs: 15 * MINUTE },
      'Demasiados intentos fallidos con este usuario. Por seguridad, el inicio de sesión queda bloqueado hasta las 10:15 del 04/12/2026 (15 minutos). Si olvidó la contraseña, pida a su supervisor que la restablezca.',
    ],
    [
      { scope: 'address' as const, retryAfterMs: 30_000 },
      'Demasiados intentos fallidos desde esta dirección de red. Por seguridad, el inicio de sesión desde aquí queda bloqueado hasta las 10:00 del 04/12/2026 (1 minuto).',
    ],
  ])('words %j in Spanish with the Bogotá time', (lock, message) => {
    expect(lockedMessage(lock, now)).toBe(message);
  });
});

describe('usernameLogId', () => {
  it('hashes the username so that a mistyped password never reaches the log', () => {
    const id = usernameLogId('MiClaveSecreta!');
    expect(id).toMatch(/^[0-9a-f]{12}$/);
    expect(id).not.toContain('Clave');
    expect(usernameLogId(' miclavesecreta! ')).toBe(id);
  });
});
