/** Spanish (es-CO) texts of the team lead's board. */
import type { BoardAlarmCategory, BoardDrillFigure } from '@gestiona/core/board';
import { BOARD_AGENT_STATE_LABELS } from '@gestiona/core/desk-states';

export const AGENT_STATE_LABELS = BOARD_AGENT_STATE_LABELS;

export const ALARM_CATEGORY_LABELS: Record<BoardAlarmCategory, string> = {
  violation: 'Posibles infracciones',
  chain: 'Registro de decisiones alterado',
  clock: 'Reloj no confiable',
};

/** `1 alerta`, `3 alertas`. */
export function showAlarmCount(count: number): string {
  return count === 1 ? '1 alerta' : `${count} alertas`;
}

const MISSING = '—';

/** Time spent in a state, e.g. `menos de 1 min`, `12 min`, `2 h 05 min`, `3 días`; a dash when unknown. */
export function showTimeInState(sinceIso: string | null, nowIso: string): string {
  if (sinceIso === null) return MISSING;
  const elapsedMs = Date.parse(nowIso) - Date.parse(sinceIso);
  if (!Number.isFinite(elapsedMs)) return MISSING;

  const minutes = Math.max(0, Math.floor(elapsedMs / 60_000));
  if (minutes < 1) return 'menos de 1 min';
  if (minutes < 60) return `${minutes} min`;
  const hours = Math.floor(minutes / 60);
  if (hours < 24) return `${hours} h ${String(minutes % 60).padStart(2, '0')} min`;
  const days = Math.floor(hours / 24);
  return days === 1 ? '1 día' : `${days} días`;
}

/** Share of `part` in `whole` as a whole percentage, e.g. `30 %`; a dash when `whole` is 0. */
export function showRate(part: number, whole: number): string {
  if (whole <= 0) return MISSING;
  return `${Math.round((part / whole) * 100)} %`;
}

/** A mean duration in seconds, e.g. `45 s`, `3 min 05 s`; a dash when nothing was measured. */
export function showSeconds(seconds: number | null): string {
  if (seconds === null || !Number.isFinite(seconds)) return MISSING;
  const whole = Math.max(0, Math.round(seconds));
  const minutes = Math.floor(whole / 60);
  return minutes > 0 ? `${minutes} min ${String(whole % 60).padStart(2, '0')} s` : `${whole} s`;
}

/** Spanish names of the board figures that open a drill-down. */
export const FIGURE_LABELS: Record<BoardDrillFigure, string> = {
  pending: 'Pendientes',
  worked: 'Trabajados hoy',
  interactions: 'Gestiones',
  'right-party': 'Contacto directo',
  promises: 'Promesas',
  'handle-time': 'Tiempo medio de gestión',
  'wrap-up': 'Tiempo medio de tipificación',
  untypified: 'Sin tipificar',
  'budget-used': 'Contacto del día agotado',
  blocked: 'Bloqueos',
  'promises-due': 'Promesas que vencen hoy',
  'promises-broken': 'Promesas incumplidas hoy',
};

/** The time figures, whose drill-down values are seconds. */
export function isTimeFigure(figure: BoardDrillFigure): boolean {
  return figure === 'handle-time' || figure === 'wrap-up';
}
