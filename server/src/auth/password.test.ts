import { describe, expect, it } from 'vitest';
import { hashPassword, SCRYPT_PARAMETERS, verifyPassword } from './password.ts';

describe('password hashing', () => {
  it('stores scrypt parameters and a random salt', async () => {
    const first = await hashPassword('clave-segura-1');
    const second = await hashPassword('clave-segura-1');
    expect(first).toMatch(new RegExp(`^scrypt\\$${SCRYPT_PARAMETERS.N}\\$${SCRYPT_PARAMETERS.r}\\$${SCRYPT_PARAMETERS.p}\\$[A-Za-z0-9+/=]+\\$[A-Za-z0-9+/=]+$`));
    expect(first).not.toBe(second);
  });

  it('verifies the right password only', async () => {
    const stored = await hashPassword('contraseña-Ñandú');
    expect(await verifyPassword('contraseña-Ñandú', stored)).toBe(true);
    expect(await verifyPassword('contrasena-Nandu', stored)).toBe(false);
    expect(await verifyPassword('', stored)).toBe(false);
  });

  it('never matches a malformed stored hash', async () => {
    for (const stored of ['', 'plain', 'scrypt$0$8$1$c2FsdA==$aGFzaA==', 'bcrypt$1$2$3$4$5']) {
      expect(await verifyPassword('x', stored), stored).toBe(false);
    }
  });
});
