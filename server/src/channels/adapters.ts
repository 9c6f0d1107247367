/**
 * The adapters that deliver SMS, WhatsApp and e-mail, and the retry with backoff around them. Each
 * message carries its send id, as the gateway's `Idempotency-Key` header and as the e-mail's
 * Message-ID, so a gateway or mail system that deduplicates drops a repeat after a timeout whose
 * request did arrive.
 */
import { createTransport } from 'nodemailer';
import type { ChannelsConfig, GatewaySettings, SmtpSettings } from './channel-config.ts';

export interface OutgoingMessage {
  /** The send id; stable across retries. */
  id: string;
  channel: 'sms' | 'email' | 'whatsapp';
  to: string;
  subject: string | null;
  body: string;
}

/** A delivery failure; `retryable` is false when the same request cannot succeed when sent again (a 4xx response). */
export class DeliveryError extends Error {
  constructor(
    message: string,
    readonly retryable: boolean,
  ) {
    super(message);
    this.name = 'DeliveryError';
  }
}

export interface ChannelAdapter {
  /** Delivers one message; throws `DeliveryError` when it failed. */
  send(message: OutgoingMessage): Promise<void>;
  close?(): void;
}

/** Posts each message as JSON to an SMS or WhatsApp gateway, with a Bearer token. */
export class GatewayAdapter implements ChannelAdapter {
  constructor(private readonly settings: GatewaySettings) {}

  async send(message: OutgoingMessage): Promise<void> {
    let response: Response;
    try {
      response = await fetch(this.settings.url, {
        method: 'POST',
        headers: { 'content-type': 'application/json', authorization: `Bearer ${this.settings.token}`, 'idempotency-key': message.id },
        body: JSON.stringify({ id: message.id, channel: message.channel, to: message.to, text: message.body }),
        signal: AbortSignal.timeout(this.settings.timeoutMs),
        redirect: 'error',
      });
    } catch (error) {
      const timedOut = error instanceof Error && (error.name === 'TimeoutError' || error.name === 'AbortError');
      throw new DeliveryError(timedOut ? `la pasarela no respondió en ${this.settings.timeoutMs} ms` : `no se pudo conectar con la pasarela: ${(error as Error).message}`, true);
    }
    // The body is read so that the connection is released, and shown in the error when short.
    const text = (await response.text().catch(() => '')).slice(0, 200);
    if (response.ok) return;
    const retryable = response.status >= 500 || response.status === 408 || response.status === 429;
    throw new DeliveryError(`la pasarela respondió ${response.status}${text ? `: ${text}` : ''}`, retryable);
  }
}

/** Sends e-mail through the configured SMTP server. */
export class SmtpAdapter implements ChannelAdapter {
  private readonly transport;

  constructor(private readonly settings: SmtpSettings) {
    this.transport = createTransport({
      host: settings.host,
      port: settings.port,
      secure: settings.secure,
      ...(settings.user === undefined ? {} : { auth: { user: settings.user, pass: settings.password ?? '' } }),
      connectionTimeout: settings.timeoutMs,
      greetingTimeout: settings.timeoutMs,
      socketTimeout: settings.timeoutMs,
    });
  }

  async send(message: OutgoingMessage): Promise<void> {
    try {
      await this.transport.sendMail({
        from: this.settings.from,
        to: message.to,
        subject: message.subject ?? '',
        text: message.body,
        messageId: `<${message.id}@gestiona.invalid>`,
      });
    } catch (error) {
      const code = (error as { responseCode?: number }).responseCode;
      // 5xx SMTP replies are permanent (bad address, rejected sender); 4xx and network errors are worth another try.
      throw new DeliveryError(`el servidor SMTP rechazó el correo: ${(error as Error).message}`, code === undefined || code < 500);
    }
  }

  close(): void {
    this.transport.close();
  }
}

/** Creates the adapters of the configured channels. */
export function adaptersOf(config: ChannelsConfig): Partial<Record<OutgoingMessage['channel'], ChannelAdapter>> {
  return {
    ...(config.sms === undefined ? {} : { sms: new GatewayAdapter(config.sms) }),
    ...(config.whatsapp === undefined ? {} : { whatsapp: new GatewayAdapter(config.whatsapp) }),
    ...(config.email === undefined ? {} : { email: new SmtpAdapter(config.email) }),
  };
}

export type DeliveryOutcome = { ok: true; tries: number } | { ok: false; tries: number; error: string; retryable: boolean };

/**
 * Sends with up to `retry.attempts` tries, waiting `baseDelayMs`, then twice as long, and so on
 * between them. Stops at the first success or at a failure that is not retryable.
 */
export async function deliverWithRetry(
  adapter: ChannelAdapter,
  message: OutgoingMessage,
  retry: ChannelsConfig['retry'],
  onRetry: (tries: number, error: string) => void,
  sleep: (ms: number) => Promise<void> = (ms) => new Promise((resolve) => setTimeout(resolve, ms)),
): Promise<DeliveryOutcome> {
  let lastError = '';
  for (let tries = 1; tries <= retry.attempts; tries += 1) {
    try {
      await adapter.send(message);
      return { ok: true, tries };
    } catch (error) {
      lastError = error instanceof Error ? error.message : String(error);
      const retryable = !(error instanceof DeliveryError) || error.retryable;
      if (!retryable || tries === retry.attempts) return { ok: false, tries, error: lastError, retryable };
      onRetry(tries, lastError);
      await sleep(retry.baseDelayMs * 2 ** (tries - 1));
    }
  }
  return { ok: false, tries: retry.attempts, error: lastError, retryable: true };
}
