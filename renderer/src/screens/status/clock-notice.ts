/** The banner text for the workstation's clock, from the state main reports. */
import type { SessionClock } from '@gestiona/core/ipc';
import { showDateTime } from '../../display.ts';

export interface ClockNotice {
  /** `error`: dials are blocked until the clock is synchronised; `warning`: for the agent's information. */
  tone: 'error' | 'warning';
  text: string;
}

/** Main sends the reason; this text is used only if a state ever arrives without one. */
const UNTRUSTED_FALLBACK = 'El reloj de este equipo no es confiable. Conéctese al servidor para sincronizar la hora.';

export function clockNotice(clock: SessionClock | undefined): ClockNotice | null {
  if (!clock) return null;
  if (!clock.trusted) return { tone: 'error', text: clock.reason ?? UNTRUSTED_FALLBACK };
  if (clock.jumpDetectedAt) {
    return {
      tone: 'warning',
      text: `Se detectó un cambio en el reloj del equipo el ${showDateTime(clock.jumpDetectedAt)}. Gestiona usa la hora sincronizada con el servidor.`,
    };
  }
  return null;
}

/** Short label of the clock for the status bar. */
export function clockLabel(clock: SessionClock): string {
  if (!clock.trusted) return 'Reloj: no confiable';
  return clock.lastSyncAt ? 'Reloj: sincronizado' : 'Reloj: sin sincronizar';
}
