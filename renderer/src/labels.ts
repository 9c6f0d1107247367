/**
 * Spanish (es-CO) names of the codes the contract carries. The records are keyed by the full unions,
 * so a new segment, product, channel or status fails the type check until it has its name here.
 */
import type { Channel, DocType, PartyRole, Product, Segment } from '@gestiona/core/domain';
import type { WorklistItem } from '@gestiona/core/ipc';

export type LegalStatus = WorklistItem['legalStatus'];

export const SEGMENT_LABELS: Record<Segment, string> = {
  preventiva: 'Preventiva',
  temprana: 'Temprana',
  media: 'Media',
  tardia: 'Tardía',
  castigada: 'Castigada',
};

export const PRODUCT_LABELS: Record<Product, string> = {
  'credit-card': 'Tarjeta de crédito',
  'consumer-loan': 'Crédito de consumo',
  'payroll-loan': 'Libranza',
  vehicle: 'Vehículo',
  mortgage: 'Hipotecario',
  microcredit: 'Microcrédito',
};

export const CHANNEL_LABELS: Record<Channel, string> = {
  voice: 'Llamada',
  sms: 'SMS',
  email: 'Correo',
  whatsapp: 'WhatsApp',
};

/** Channels in the order of CHANNEL_LABELS, which lists every one. */
export const CHANNEL_OPTIONS = Object.keys(CHANNEL_LABELS) as Channel[];

/** Heading of each group of persons in the debtor view. */
export const ROLE_GROUP_LABELS: Record<PartyRole, string> = {
  debtor: 'Titular',
  'co-obligor': 'Codeudores',
  reference: 'Referencias personales',
};

export const LEGAL_STATUS_LABELS: Record<LegalStatus, string> = {
  contactable: 'Contactable',
  'contacted-today': 'Contactado hoy',
  'outside-hours': 'Fuera de horario',
  blocked: 'Bloqueado',
};

export const DOC_TYPE_LABELS: Record<DocType, string> = {
  CC: 'Cédula de ciudadanía',
  CE: 'Cédula de extranjería',
  NIT: 'NIT',
  PA: 'Pasaporte',
  TI: 'Tarjeta de identidad',
};

/** Label of the action button of a contact point: a call for voice, a message for the rest. */
export function contactActionLabel(channel: Channel): string {
  return channel === 'voice' ? 'Llamar' : 'Contactar';
}
