/** Server trust settings of a workstation, read from its environment (Electron and browser mode). */
import { readFileSync } from 'node:fs';
import { AppError } from '@gestiona/core/result';
import { serverPinListSchema } from './server-pins.ts';
import type { ServerTrustConfig } from './server-trust.ts';

export const SERVER_PINS_VARIABLE = 'GESTIONA_SERVER_PINS';
export const SERVER_CA_FILE_VARIABLE = 'GESTIONA_SERVER_CA_FILE';

/**
 * Reads `GESTIONA_SERVER_PINS` (pins separated by commas or line breaks) and `GESTIONA_SERVER_CA_FILE` (a PEM file
 * of extra CA certificates). Throws an AppError in Spanish naming the variable when one is invalid,
 * because the admin who set it reads the start-up error.
 */
export function serverTrustFromEnvironment(environment: Record<string, string | undefined> = process.env): ServerTrustConfig {
  const config: ServerTrustConfig = {};

  const pinsText = environment[SERVER_PINS_VARIABLE];
  if (pinsText !== undefined && pinsText.trim() !== '') {
    const parsed = serverPinListSchema.safeParse(pinsText);
    if (!parsed.success) {
      throw new AppError(
        'invalid-input',
        `${SERVER_PINS_VARIABLE} no es válida: ${parsed.error.issues[0]?.message ?? pinsText}. ` +
          'Use sha256/ seguido del SHA-256 en base64 de la clave pública del certificado, o la huella SHA-256 del certificado en hexadecimal.',
      );
    }
    config.pins = parsed.data;
  }

  const caFile = environment[SERVER_CA_FILE_VARIABLE];
  if (caFile !== undefined && caFile !== '') {
    let caPem: string;
    try {
      caPem = readFileSync(caFile, 'utf8');
    } catch (error) {
      throw new AppError('invalid-input', `No se pudo leer ${SERVER_CA_FILE_VARIABLE} "${caFile}": ${error instanceof Error ? error.message : String(error)}.`);
    }
    if (!caPem.includes('-----BEGIN CERTIFICATE-----')) {
      throw new AppError('invalid-input', `${SERVER_CA_FILE_VARIABLE} "${caFile}" no contiene certificados PEM (-----BEGIN CERTIFICATE-----).`);
    }
    config.caPem = caPem;
  }
  return config;
}
