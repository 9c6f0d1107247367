/**
 * Softphone dialing: the workstation hands a `tel:` or `sip:` URI to the operating system, which
 * opens the agent's registered softphone.
 */
import { DialFailedError, type DialRequest, type DialerAdapter } from './adapter.ts';

export type SoftphoneScheme = 'tel' | 'sip';

const E164 = /^\+[1-9]\d{7,14}$/;

export function buildDialUri(scheme: SoftphoneScheme, address: string): string {
  if (!E164.test(address)) {
    throw new DialFailedError(`El número registrado no es válido para marcar (${address.length} caracteres). Corrija el dato en la cartera.`);
  }
  return `${scheme}:${address}`;
}

export class SoftphoneDialer implements DialerAdapter {
  readonly name = 'softphone' as const;
  private readonly scheme: SoftphoneScheme;
  private readonly openUri: (uri: string) => Promise<void>;

  constructor(options: { scheme: SoftphoneScheme; openUri: (uri: string) => Promise<void> }) {
    this.scheme = options.scheme;
    this.openUri = options.openUri;
  }

  async dial(request: DialRequest): Promise<{ uri: string | null }> {
    if (request.channel !== 'voice') {
      throw new DialFailedError('El softphone solo marca números de voz.');
    }

    const uri = buildDialUri(this.scheme, request.address);
    try {
      await this.openUri(uri);
    } catch (error) {
      throw new DialFailedError('No se pudo abrir el softphone. Marque el número en el teléfono de escritorio y tipifique la gestión.', {
        cause: error,
      });
    }
    return { uri };
  }
}
