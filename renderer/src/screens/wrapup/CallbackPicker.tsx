/**
 * The callback time of a `schedule-callback` code: a list of the legal slots main computed for the
 * pending contact (next 7 days, every 30 minutes), grouped by day. Main checks the chosen time again
 * on save. The value is the form's text (`dd/mm/aaaa HH:mm`), so the field parses it as typed input.
 */
import { useEffect, useState } from 'react';
import { formatDate, formatDateTime } from '@gestiona/core/format';
import { callApi } from '../../api/client.ts';

interface CallbackPickerProps {
  attemptId: string;
  code: string;
  testId: string;
  value: string;
  invalid: boolean;
  onChange(value: string): void;
}

interface DaySlots {
  day: string;
  slots: string[];
}

export function CallbackPicker({ attemptId, code, testId, value, invalid, onChange }: CallbackPickerProps) {
  const [days, setDays] = useState<DaySlots[] | null>(null);
  const [error, setError] = useState<string | null>(null);

  useEffect(() => {
    let cancelled = false;
    void callApi('wrapup:callback-slots', { attemptId, code }).then((result) => {
      if (cancelled) return;
      if (!result.ok) {
        setError(result.error.message);
        return;
      }
      setDays(groupByDay(result.value.slots));
    });
    return () => {
      cancelled = true;
    };
  }, [attemptId, code]);

  if (error) return <span className="field-error">{error}</span>;
  if (!days) return <span className="muted">Buscando horarios permitidos…</span>;
  if (days.length === 0) return <span className="field-error">No hay horarios permitidos en los próximos 7 días para volver a llamar.</span>;

  return (
    <select className="callback-select" data-testid={testId} aria-invalid={invalid} value={value} onChange={(event) => onChange(event.target.value)}>
      <option value="">Seleccione un horario permitido…</option>
      {days.map((day) => (
        <optgroup key={day.day} label={day.day}>
          {day.slots.map((slot) => (
            <option key={slot} value={formatDateTime(slot)}>
              {formatDateTime(slot).slice(11)}
            </option>
          ))}
        </optgroup>
      ))}
    </select>
  );
}

const WEEKDAYS = ['domingo', 'lunes', 'martes', 'miércoles', 'jueves', 'viernes', 'sábado'];

function groupByDay(slots: readonly string[]): DaySlots[] {
  const days: DaySlots[] = [];
  for (const slot of slots) {
    const date = formatDate(slot);
    const [dd, mm, yyyy] = date.split('/');
    const weekday = WEEKDAYS[new Date(`${yyyy}-${mm}-${dd}T12:00:00Z`).getUTCDay()]!;
    const label = `${weekday} ${date}`;
    const last = days.at(-1);
    if (last?.day === label) last.slots.push(slot);
    else days.push({ day: label, slots: [slot] });
  }
  return days;
}
