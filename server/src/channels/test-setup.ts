/**
 * A store with one debtor for the channel tests: the shipped content, a strategy whose single
 * segment carries the given timeline, and a debtor assigned on `ASSIGNED_ON` with authorised
 * e-mail, WhatsApp and SMS addresses and a postal address.
 */
import type { TimelineActivity } from '@gestiona/core/strategy/schema';
import { loadResources } from '../content/load-resources.ts';
import { portfolioCsv, portfolioRow, utf8 } from '../fixtures/portfolio.ts';
import { DEFAULT_RESOURCES_DIR } from '../paths.ts';
import type { ServerStore } from '../store/types.ts';
import { parseChannelsConfig, type ChannelsConfig } from './channel-config.ts';

export const DEBTOR_ID = 'CC-1020304050';
/** Day 0 of the test timelines: Monday 7 December 2026 in Bogotá. */
export const ASSIGNED_ON = '2026-12-07';
/** Wednesday 9 December 2026, 10:00 in Bogotá: a working day inside the legal hours. */
export const WEDNESDAY_10 = new Date('2026-12-09T10:00:00-05:00');

const SEEDED_AT = new Date('2026-12-01T12:00:00-05:00');

export function activity(id: string, channel: TimelineActivity['channel'], dayOffset: number, extra: Partial<TimelineActivity> = {}): TimelineActivity {
  return { id, channel, anchor: 'assignment', dayOffset, stopOn: ['payment-received'], ...extra };
}

export interface SeedOptions {
  timeline: readonly TimelineActivity[];
  /** Extra portfolio columns, e.g. a foreign residence. */
  row?: Record<string, string>;
}

/** Publishes content and the test strategy, imports the debtor and adds an SMS address and a postal address; returns the debtor's person id. */
export async function seedChannelDebtor(store: ServerStore, options: SeedOptions): Promise<string> {
  await store.publishContent(await loadResources(DEFAULT_RESOURCES_DIR), SEEDED_AT);
  const admin = await store.createUser({ username: 'admin', fullName: 'Administradora', role: 'admin', password: 'clave-admin-123' }, SEEDED_AT);
  const row = portfolioRow({
    correo: 'maria.pena@ejemplo.com.co',
    correo_autorizado: 'sí',
    correo_fuente: 'contrato',
    correo_fecha: '15/03/2024',
    correo_evidencia: 'CT-2024-000123',
    whatsapp: '+57 300 123 4567',
    whatsapp_autorizado: 'sí',
    whatsapp_fuente: 'contrato',
    whatsapp_fecha: '15/03/2024',
    whatsapp_evidencia: 'CT-2024-000123',
    ...options.row,
  });
  await store.importPortfolio({ fileName: 'cartera.csv', bytes: utf8(portfolioCsv([row])), now: SEEDED_AT });
  await store.publishStrategy({
    strategy: {
      version: 'canales-prueba',
      segments: [{ id: 'todos', name: 'Todos', rule: { all: [] }, strategy: { priority: '1', scriptId: 'guion-preventiva', timeline: options.timeline } }],
    },
    publishedBy: admin.id,
    now: SEEDED_AT,
  });

  return store.writeBoardView(async (sql) => {
    const person = await sql.get<{ id: string }>(`SELECT id FROM persons WHERE debtor_id = ? AND role = 'debtor'`, [DEBTOR_ID]);
    await sql.run('UPDATE debtors SET segment_assigned_at = ? WHERE id = ?', [new Date(`${ASSIGNED_ON}T00:00:00-05:00`).toISOString(), DEBTOR_ID]);
    await sql.run(`UPDATE persons SET postal_address = 'Calle 45 # 12-30, apto 401' WHERE id = ?`, [person!.id]);
    await sql.run(
      `INSERT INTO contact_points (id, person_id, channel, address, auth_source, auth_granted_on, auth_evidence, auth_revoked_at, flagged, position)
       VALUES (?, ?, 'sms', '+573001234567', 'contrato', '2024-03-15', 'CT-2024-000123', NULL, NULL, 99)`,
      [`${person!.id}-sms`, person!.id],
    );
    return person!.id;
  });
}

/** Builds a configuration that sends SMS and WhatsApp to `gatewayUrl` and e-mail to the local SMTP port, with fast retries. */
export function testConfig(gatewayUrl: string, smtpPort: number, extra: Record<string, unknown> = {}): ChannelsConfig {
  return parseChannelsConfig(
    {
      sms: { url: gatewayUrl, token: 'token-sms', timeoutMs: 300 },
      whatsapp: { url: gatewayUrl, token: 'token-whatsapp', timeoutMs: 300 },
      email: { host: '127.0.0.1', port: smtpPort, from: 'Cobranzas <avisos@cobranzas.example>', timeoutMs: 2000 },
      letters: true,
      visits: true,
      retry: { attempts: 3, baseDelayMs: 10, laterPasses: 1, laterDelayMs: 60_000 },
      ...extra,
    },
    'de prueba',
  );
}
