/**
 * Spanish (es-CO) texts of the gate's reasons and warnings, as the agent reads them next to a blocked
 * dial button. Each ends with the rule id in brackets so that a complaint can be traced to the rule.
 */
import type { Channel } from '../domain.ts';
import { assertNever } from '../result.ts';
import { formatClock } from './bogota-time.ts';
import { SATURDAY_WINDOW, WEEKDAY_WINDOW } from './day-status.ts';

export function channelLabel(channel: Channel): string {
  switch (channel) {
    case 'voice':
      return 'llamada';
    case 'sms':
      return 'SMS';
    case 'email':
      return 'correo electrónico';
    case 'whatsapp':
      return 'WhatsApp';
    default:
      return assertNever(channel, 'channel');
  }
}

export const gateMessages = {
  outsideWeekdayWindow: `Fuera del horario legal: lunes a viernes de ${formatClock(WEEKDAY_WINDOW.opensAtMs)} a ${formatClock(WEEKDAY_WINDOW.closesAtMs)} (R1).`,
  outsideSaturdayWindow: `Fuera del horario legal: sábados de ${formatClock(SATURDAY_WINDOW.opensAtMs)} a ${formatClock(SATURDAY_WINDOW.closesAtMs)} (R2).`,
  sunday: 'Domingo: no se permite contactar (R3).',
  holiday: (names: readonly string[]) => `Festivo (${names.join(' y ')}): no se permite contactar (R4).`,
  blockedDate: 'Fecha bloqueada por el administrador: no se permite contactar (R4).',
  contactedToday: 'Ya se contactó a esta persona hoy (R5).',
  contactLaterToday: (time: string) => `Esta persona ya tiene un contacto registrado hoy a las ${time}; solo se permite uno por día (R5).`,
  otherChannel: (channel: Channel, contactAt: string, lockedUntil: string) =>
    `Esta persona tiene un contacto por ${channelLabel(channel)} del ${contactAt}; hasta el ${lockedUntil} solo se permite contactarla por ese mismo canal (R6).`,
  notAuthorized: 'Esta persona no ha autorizado este canal y dirección, o revocó la autorización (R7).',
  reference: 'Las referencias personales nunca se pueden contactar (R8).',
  closingSoon: (rule: 'R1' | 'R2', minutesLeft: number, closesAt: string) =>
    `Quedan ${minutesLeft} min del horario legal (cierra a las ${closesAt}): la gestión podría terminar fuera de horario (${rule}).`,
} as const;
