import type { CatalogField } from '@gestiona/core/catalog';
import { formatCopInput, parseCopAmount } from '../../input/amount.ts';
import { CHANNEL_LABELS, CHANNEL_OPTIONS } from '../../labels.ts';
import { useWrapUpStore } from '../../store/wrapup.ts';
import { CallbackPicker } from './CallbackPicker.tsx';
import { InstalmentsEditor } from './InstalmentsEditor.tsx';

interface WrapUpFieldProps {
  field: CatalogField;
  error: string | null;
  /** Set for the date-time of a code that schedules a callback: the field offers only legal slots. */
  callback?: { attemptId: string; code: string } | undefined;
}

export function WrapUpField({ field, error, callback }: WrapUpFieldProps) {
  const draft = useWrapUpStore((store) => store.drafts[field.name]);
  const setDraft = useWrapUpStore((store) => store.setDraft);
  const testId = `wrapup-field-${field.name}`;
  const text = typeof draft === 'string' ? draft : '';
  const label = `${field.label}${field.required ? ' *' : ''}`;

  if (field.type === 'instalments') {
    return (
      <div className="field field-wide">
        <span className="field-label">{label}</span>
        <InstalmentsEditor testId={testId} rows={Array.isArray(draft) ? draft : null} onChange={(rows) => setDraft(field.name, rows)} />
        {error && <span className="field-error">{error}</span>}
      </div>
    );
  }

  return (
    <label className={field.type === 'text' ? 'field field-wide' : 'field'}>
      <span className="field-label">{label}</span>
      {field.type === 'datetime' && callback ? (
        <CallbackPicker attemptId={callback.attemptId} code={callback.code} testId={testId} value={text} invalid={error !== null} onChange={(value) => setDraft(field.name, value)} />
      ) : (
        renderInput(field, text, testId, error !== null, (value) => setDraft(field.name, value))
      )}
      {hintOf(field, text) && <span className="field-hint">{hintOf(field, text)}</span>}
      {error && <span className="field-error">{error}</span>}
    </label>
  );
}

function renderInput(field: CatalogField, value: string, testId: string, invalid: boolean, onChange: (value: string) => void) {
  const common = { 'data-testid': testId, 'aria-invalid': invalid, value };
  switch (field.type) {
    case 'amount':
      return <input {...common} inputMode="decimal" placeholder="1.234.567" onChange={(event) => onChange(event.target.value)} />;
    case 'date':
      return <input {...common} placeholder="dd/mm/aaaa" onChange={(event) => onChange(event.target.value)} />;
    case 'datetime':
      return <input {...common} placeholder="dd/mm/aaaa HH:mm" onChange={(event) => onChange(event.target.value)} />;
    case 'text':
      return <textarea {...common} rows={2} maxLength={field.maxLength ?? 2000} onChange={(event) => onChange(event.target.value)} />;
    case 'channel':
      return (
        <select {...common} onChange={(event) => onChange(event.target.value)}>
          <option value="">Seleccione…</option>
          {CHANNEL_OPTIONS.map((channel) => (
            <option key={channel} value={channel}>
              {CHANNEL_LABELS[channel]}
            </option>
          ))}
        </select>
      );
    case 'instalments':
      return null;
  }
}

/** Builds the line under the input: the amount as read, or the limits of a date. */
function hintOf(field: CatalogField, value: string): string | null {
  if (field.type === 'amount') {
    const parsed = parseCopAmount(value);
    // Centavos are shown as typed: formatCop rounds to whole pesos, which would look like a misreading here.
    return parsed.ok && value.trim() !== '' ? `Valor leído: $ ${formatCopInput(parsed.value)}` : null;
  }
  if (field.type === 'date') {
    const limits = [
      field.when === 'today-or-later' ? 'hoy o después' : null,
      field.when === 'today-or-earlier' ? 'hoy o antes' : null,
      field.maxDaysAhead !== undefined ? `máximo ${field.maxDaysAhead} días desde hoy` : null,
    ].filter((limit) => limit !== null);
    return limits.length > 0 ? `Fecha: ${limits.join(', ')}.` : null;
  }
  if (field.type === 'datetime') return 'Dentro de un horario permitido (hora de Bogotá).';
  if (field.type === 'text' && field.maxLength !== undefined) return `Hasta ${field.maxLength} caracteres.`;
  return null;
}
