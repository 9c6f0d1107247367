/**
 * The trusted clock as the agent and the team lead see it: the Spanish reason when it cannot be
 * trusted, the refusal recorded for a dial made meanwhile, and the fields of `state:report`.
 */
import type { GateDecision } from '@gestiona/core/compliance/types';
import { formatDateTime, toBogotaIso } from '@gestiona/core/format';
import type { SessionClock } from '@gestiona/core/ipc';
import { assertNever } from '@gestiona/core/result';
import type { ClockDistrust, ClockJump, ClockReading } from '../clock.ts';

/** The server's `state:report` handler accepts strings of at most this many characters. */
const REPORT_TEXT_MAX = 500;

export function sessionClockOf(reading: ClockReading): SessionClock {
  return {
    trusted: reading.distrust === null,
    offsetMs: reading.offsetMs,
    lastSyncAt: reading.lastSyncAt === null ? null : toBogotaIso(reading.lastSyncAt),
    jumpDetectedAt: reading.lastJump === null ? null : toBogotaIso(reading.lastJump.detectedAt),
    jumpMs: reading.lastJump?.jumpMs ?? null,
    reason: reading.distrust === null ? null : untrustedClockMessage(reading.distrust),
  };
}

/** Spanish sentence for the agent: why the clock cannot be trusted and what to do about it. */
export function untrustedClockMessage(distrust: ClockDistrust): string {
  switch (distrust.kind) {
    case 'jump-before-sync':
      return (
        `El reloj de este equipo no es confiable: ${jumpPhrase(distrust.jump)} y la hora aún no se ha sincronizado con el servidor. ` +
        'Conéctese al servidor para sincronizar la hora.'
      );
    case 'drift':
      return (
        `El reloj de este equipo no es confiable: su hora difiere ${formatDuration(distrust.offsetMs)} de la hora del servidor ` +
        `(se admiten hasta ${formatDuration(distrust.maxOffsetMs)}). Corrija la hora del equipo. Conéctese al servidor para sincronizar la hora.`
      );
    default:
      return assertNever(distrust, 'clock distrust');
  }
}

function jumpPhrase(jump: ClockJump): string {
  const when = formatDateTime(toBogotaIso(jump.detectedAt));
  switch (jump.kind) {
    case 'running':
      return `el ${when} se detectó un cambio en el reloj del equipo (${jump.jumpMs > 0 ? 'se adelantó' : 'se atrasó'} ${formatDuration(jump.jumpMs)})`;
    case 'restart':
      return `al iniciar, el ${when}, el reloj del equipo estaba ${formatDuration(jump.jumpMs)} o más atrás de la última hora que registró Gestiona`;
    default:
      return assertNever(jump.kind, 'clock jump kind');
  }
}

/** Formats a duration in Spanish: "45 s", "12 min 5 s", "2 h 10 min", "3 días". The sign is dropped. */
export function formatDuration(ms: number): string {
  const totalSeconds = Math.round(Math.abs(ms) / 1000);
  if (totalSeconds < 60) return `${totalSeconds} s`;

  const totalMinutes = Math.floor(totalSeconds / 60);
  if (totalMinutes < 60) {
    const seconds = totalSeconds % 60;
    return seconds === 0 ? `${totalMinutes} min` : `${totalMinutes} min ${seconds} s`;
  }

  const totalHours = Math.floor(totalMinutes / 60);
  if (totalHours < 48) {
    const minutes = totalMinutes % 60;
    return minutes === 0 ? `${totalHours} h` : `${totalHours} h ${minutes} min`;
  }
  return `${Math.floor(totalHours / 24)} días`;
}

/**
 * Builds the decision recorded when a dial meets an untrusted clock. The legal hours cannot be checked, so
 * nothing is evaluated. It cites R16 because R16 requires every decision to carry the trusted time,
 * and the decision record names the workstation rule `CLOCK` beside it.
 */
export function clockRefusal(message: string, rulePackVersion: string, evaluatedAt: string): GateDecision {
  return {
    allowed: false,
    rules: ['R16'],
    reasons: [{ rule: 'R16', message }],
    warnings: [],
    nextAllowedAt: null,
    rulePackVersion,
    evaluatedAt,
  };
}

/** Returns the clock's fields of `state:report`, flat as the server accepts them. */
export function clockReportFields(clock: SessionClock, jumpCount: number): Record<string, string | number | boolean | null> {
  return {
    clockTrusted: clock.trusted,
    clockOffsetMs: clock.offsetMs,
    clockLastSyncAt: clock.lastSyncAt,
    clockJumpAt: clock.jumpDetectedAt,
    clockJumpMs: clock.jumpMs ?? null,
    clockJumps: jumpCount,
    clockReason: clock.reason === null ? null : clock.reason.slice(0, REPORT_TEXT_MAX),
  };
}

export function sameSessionClock(a: SessionClock, b: SessionClock): boolean {
  return (
    a.trusted === b.trusted &&
    a.offsetMs === b.offsetMs &&
    a.lastSyncAt === b.lastSyncAt &&
    a.jumpDetectedAt === b.jumpDetectedAt &&
    a.jumpMs === b.jumpMs &&
    a.reason === b.reason
  );
}
