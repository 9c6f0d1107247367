/**
 * Spanish (es-CO) texts of the gate's reasons and warnings, as the agent reads them next to a blocked
 * dial button. Each ends with the rule id in brackets so that a complaint can be traced to the rule.
 */
import { assertNever } from '../result.ts';
import { formatClock } from './bogota-time.ts';
import { formatDisplayDate, type IsoWeekday } from './civil-date.ts';
import type { DayInterval } from './contact-schedule.ts';
import { SATURDAY_WINDOW, WEEKDAY_WINDOW } from './day-status.ts';
import type { ComplianceChannel, ExemptionReason } from './types.ts';

export function channelLabel(channel: ComplianceChannel): string {
  switch (channel) {
    case 'voice':
      return 'llamada';
    case 'sms':
      return 'SMS';
    case 'email':
      return 'correo electrónico';
    case 'whatsapp':
      return 'WhatsApp';
    case 'letter':
      return 'carta';
    case 'visit':
      return 'visita';
    default:
      return assertNever(channel, 'channel');
  }
}

/** Returns the channel as it completes "se contactó a esta persona …": "por carta", "con una visita". */
export function contactMeans(channel: ComplianceChannel): string {
  return channel === 'visit' ? 'con una visita' : `por ${channelLabel(channel)}`;
}

export function exemptionReasonLabel(reason: ExemptionReason): string {
  switch (reason) {
    case 'transaction-confirmation':
      return 'confirmación de una transacción';
    case 'fraud-alert':
      return 'alerta de fraude';
    case 'savings-information':
      return 'información sobre ahorro voluntario o cesantías';
    case 'requested-information':
      return 'información que la persona solicitó';
    default:
      return assertNever(reason, 'exemption reason');
  }
}

/** Plural weekday names as in "los sábados", indexed by ISO weekday (1 = Monday). */
const WEEKDAYS_PLURAL = ['', 'lunes', 'martes', 'miércoles', 'jueves', 'viernes', 'sábados', 'domingos'] as const;

/** Singular weekday names, indexed by ISO weekday. */
const WEEKDAYS = ['', 'lunes', 'martes', 'miércoles', 'jueves', 'viernes', 'sábado', 'domingo'] as const;

function describeIntervals(intervals: readonly DayInterval[]): string {
  return intervals.map((interval) => `de ${formatClock(interval.opensAtMs)} a ${formatClock(interval.closesAtMs)}`).join(' y ');
}

function localTimeLabel(zoneName: string, weekday: IsoWeekday, msOfDay: number): string {
  return `${zoneName}, ${WEEKDAYS[weekday]} ${formatClock(msOfDay)}`;
}

export const gateMessages = {
  outsideWeekdayWindow: `Fuera del horario legal: lunes a viernes de ${formatClock(WEEKDAY_WINDOW.opensAtMs)} a ${formatClock(WEEKDAY_WINDOW.closesAtMs)} (R1).`,
  outsideSaturdayWindow: `Fuera del horario legal: sábados de ${formatClock(SATURDAY_WINDOW.opensAtMs)} a ${formatClock(SATURDAY_WINDOW.closesAtMs)} (R2).`,
  sunday: 'Domingo: no se permite contactar (R3).',
  holiday: (names: readonly string[]) => `Festivo (${names.join(' y ')}): no se permite contactar (R4).`,
  blockedDate: 'Fecha bloqueada por el administrador: no se permite contactar (R4).',
  contactedToday: (channel: ComplianceChannel) => `Ya se contactó a esta persona hoy ${contactMeans(channel)} (R5).`,
  contactLaterToday: (channel: ComplianceChannel, time: string) =>
    `Esta persona ya tiene un contacto ${contactMeans(channel)} registrado hoy a las ${time}; solo se permite uno por día (R5).`,
  otherChannel: (channel: ComplianceChannel, contactAt: string, lockedUntil: string) =>
    `Esta persona tiene un contacto por ${channelLabel(channel)} del ${contactAt}; hasta el ${lockedUntil} solo se permite contactarla por ese mismo canal (R6).`,
  notAuthorized: 'Esta persona no ha autorizado este canal y dirección, o revocó la autorización (R7).',
  reference: 'Las referencias personales nunca se pueden contactar (R8).',
  closingSoon: (rule: 'R1' | 'R2', minutesLeft: number, closesAt: string) =>
    `${minutesLeft === 1 ? 'Queda' : 'Quedan'} ${minutesLeft} min del horario legal (cierra a las ${closesAt}): la gestión podría terminar fuera de horario (${rule}).`,

  outsideRequestedHours: (weekday: IsoWeekday, intervals: readonly DayInterval[]) =>
    intervals.length === 0
      ? `La solicitud de horario de la persona no incluye los ${WEEKDAYS_PLURAL[weekday]}: no se permite contactarla ese día (R9).`
      : `Fuera del horario que la persona solicitó para los ${WEEKDAYS_PLURAL[weekday]}: ${describeIntervals(intervals)} (R9).`,
  scheduleRequestIgnored: (problems: readonly string[]) =>
    `Se ignora la solicitud de horario de la persona porque ${problems.join('; ')}. Se aplica el horario legal (R9).`,
  closingSoonRequested: (minutesLeft: number, closesAt: string) =>
    `${minutesLeft === 1 ? 'Queda' : 'Quedan'} ${minutesLeft} min del horario que la persona solicitó (cierra a las ${closesAt}): la gestión podría terminar fuera de ese horario (R9).`,

  localSunday: (zoneName: string, weekday: IsoWeekday, msOfDay: number) =>
    `En la hora local de la persona (${localTimeLabel(zoneName, weekday, msOfDay)}) es domingo: no se permite contactar (R3).`,
  outsideLocalWeekdayWindow: (zoneName: string, weekday: IsoWeekday, msOfDay: number) =>
    `Fuera del horario legal en la hora local de la persona (${localTimeLabel(zoneName, weekday, msOfDay)}): lunes a viernes de 07:00 a 19:00 (R1).`,
  outsideLocalSaturdayWindow: (zoneName: string, weekday: IsoWeekday, msOfDay: number) =>
    `Fuera del horario legal en la hora local de la persona (${localTimeLabel(zoneName, weekday, msOfDay)}): sábados de 08:00 a 15:00 (R2).`,
  closingSoonLocalSunday: (minutesLeft: number, closesAt: string) =>
    `${minutesLeft === 1 ? 'Queda' : 'Quedan'} ${minutesLeft} min antes de que empiece el domingo en la hora local de la persona (a las ${closesAt} de Bogotá): la gestión podría terminar en domingo (R3).`,

  exempt: (reason: ExemptionReason) =>
    `Mensaje exento (${exemptionReasonLabel(reason)}): no le aplican los horarios ni los límites de contacto y no cuenta en el historial de contactos (R10).`,
  exemptionRefused: (reason: ExemptionReason) =>
    `Un mensaje con contenido de cobranza no puede enviarse como exento (${exemptionReasonLabel(reason)}): quite el contenido de cobro o envíelo como gestión de cobranza, sujeta a horarios y límites (R10).`,

  visitNotAllowed:
    'Las visitas al domicilio o al lugar de trabajo están prohibidas; solo se permiten en microcrédito, crédito de fomento o crédito agropecuario con autorización expresa del acreedor (R13).',
} as const;

/** Problems of an R9 schedule request, completing "Se ignora la solicitud de horario de la persona porque …". */
export const scheduleMessages = {
  notConsumerInitiated: 'no fue iniciada por la persona',
  invalidDate: (field: 'requestedOn' | 'contractSignedOn', value: string) =>
    `la fecha ${field === 'requestedOn' ? 'de la solicitud' : 'de firma del contrato'} "${value}" no es una fecha válida AAAA-MM-DD`,
  notAfterContract: (requestedOn: number, contractSignedOn: number) =>
    `su fecha (${formatDisplayDate(requestedOn)}) no es posterior a la firma del contrato (${formatDisplayDate(contractSignedOn)})`,
  datedAfterContact: (requestedOn: number) => `su fecha (${formatDisplayDate(requestedOn)}) es posterior a la del contacto`,
  noEvidence: 'no tiene evidencia registrada',
  noWindow: 'no indica ninguna franja horaria',
  invalidHours: (position: number, from: string, to: string) => `la franja ${position} no es un horario válido ("${from}" a "${to}")`,
  invalidDays: (position: number) => `la franja ${position} no indica días de la semana válidos (1 = lunes … 7 = domingo)`,
} as const;

/** Reasons of R14 for a negative credit-bureau report. */
export const creditReportMessages = {
  noNotice: 'No se ha enviado el aviso previo al titular: el reporte negativo a las centrales de riesgo no está permitido (R14).',
  secondNoticeMissing: (noticeCount: number) =>
    `La deuda no supera el 15 % de un salario mínimo mensual: se requieren dos avisos previos en días distintos y hay ${noticeCount}; el reporte negativo no está permitido (R14).`,
  waiting: (required: 1 | 2, noticeDate: string, unlockDate: string) =>
    `El reporte negativo solo se permite 20 días calendario después del ${required === 2 ? 'segundo aviso' : 'aviso previo'} (${noticeDate}): desde el ${unlockDate} (R14).`,
} as const;

/** Reasons of R15 for collection fees. */
export const collectionFeeMessages = {
  noEffectiveAction: 'No hay una gestión de cobro efectiva documentada: no se pueden cobrar gastos de cobranza (R15).',
  appliedBeforeAction: (appliedOn: string, actionOn: string) =>
    `Los gastos de cobranza no se pueden aplicar el ${appliedOn}, antes de la gestión de cobro efectiva del ${actionOn} (R15).`,
  notDisclosed: 'La tarifa de gastos de cobranza no se informó al deudor: no se puede aplicar (R15).',
  mortgageBeforeLitigation: 'En créditos de vivienda solo se pueden cobrar gastos de cobranza cuando la obligación está en cobro judicial (R15).',
  aboveSchedule: (amount: string, percent: string, base: string, maximum: string) =>
    `Los gastos de cobranza (${amount}) superan la tarifa informada al deudor: ${percent} de ${base} es como máximo ${maximum} (R15).`,
} as const;
