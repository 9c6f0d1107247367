import { useEffect, useRef, type FormEvent } from 'react';
import { catalogTree, codeForShortcut } from '@gestiona/core/catalog-rules';
import type { PendingWrapUp } from '@gestiona/core/ipc';
import { showAddress, showDateTime } from '../../display.ts';
import { isTypingTarget } from '../../keyboard.ts';
import { CHANNEL_LABELS } from '../../labels.ts';
import { findCode, useWrapUpStore } from '../../store/wrapup.ts';
import { WrapUpField } from './WrapUpField.tsx';

const NOTE_MAX_LENGTH = 2000;

export function WrapUpPanel({ wrapUp }: { wrapUp: PendingWrapUp }) {
  const catalog = useWrapUpStore((store) => store.catalog);
  const catalogError = useWrapUpStore((store) => store.catalogError);
  const selectedCode = useWrapUpStore((store) => store.selectedCode);
  const note = useWrapUpStore((store) => store.note);
  const fieldErrors = useWrapUpStore((store) => store.fieldErrors);
  const formError = useWrapUpStore((store) => store.formError);
  const saving = useWrapUpStore((store) => store.saving);
  const { selectCode, setNote, save, loadCatalog } = useWrapUpStore.getState();

  const code = findCode(catalog, selectedCode);
  // Groups in the catalog's order, each with its active codes; empty groups are not shown.
  const groups = catalog ? catalogTree(catalog).filter((group) => group.codes.length > 0) : [];
  const formRef = useRef<HTMLFormElement>(null);

  // Fast typifying: a code's shortcut chooses it, Enter saves (main checks the fields), Esc clears the
  // choice. Nothing here leaves the wrap-up: it stays until a typification is saved.
  useEffect(() => {
    if (!catalog) return;
    const codes = catalog.codes;
    function onKeyDown(event: KeyboardEvent) {
      if (event.ctrlKey || event.altKey || event.metaKey) return;
      if (event.key === 'Escape') {
        if (useWrapUpStore.getState().selectedCode === null) return;
        event.preventDefault();
        useWrapUpStore.setState({ selectedCode: null, drafts: {}, fieldErrors: {}, formError: null });
        return;
      }
      if (event.key === 'Enter') {
        // In a text area Enter writes a new line, in an input the form submits by itself, and other
        // buttons keep their own Enter (on another code button it chooses that code); on the chosen code's button it saves.
        const onCodeButton = event.target instanceof HTMLButtonElement && event.target.getAttribute('aria-pressed') === 'true';
        if (isTypingTarget(event.target) || (event.target instanceof HTMLButtonElement && !onCodeButton)) return;
        if (useWrapUpStore.getState().selectedCode === null) return;
        event.preventDefault();
        formRef.current?.requestSubmit();
        return;
      }
      if (isTypingTarget(event.target)) return;
      const match = codeForShortcut(codes, event.key);
      if (!match) return;
      event.preventDefault();
      useWrapUpStore.getState().selectCode(match.code);
    }
    window.addEventListener('keydown', onKeyDown);
    return () => window.removeEventListener('keydown', onKeyDown);
  }, [catalog]);

  function submit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    void save(wrapUp.attemptId);
  }

  // Errors main returns for names that are not fields of the chosen code still need a place.
  const fieldNames = new Set(code?.fields.map((field) => field.name) ?? []);
  const otherErrors = Object.entries(fieldErrors).filter(([name]) => !fieldNames.has(name) && name !== 'note');

  return (
    <form ref={formRef} className="panel wrapup-panel" data-testid="wrapup-panel" onSubmit={submit} noValidate>
      <header className="wrapup-header">
        <h2 className="panel-title">Cierre de gestión</h2>
        <p className="wrapup-context">
          {CHANNEL_LABELS[wrapUp.channel]} a <bdi>{wrapUp.personName}</bdi> · {showAddress(wrapUp.channel, wrapUp.address)} ·{' '}
          {showDateTime(wrapUp.dialedAt)}
        </p>
      </header>

      {catalogError && (
        <p className="message message-error" role="alert">
          {catalogError}{' '}
          <button type="button" className="link-button" onClick={() => void loadCatalog()}>
            Reintentar
          </button>
        </p>
      )}
      {!catalog && !catalogError && <p className="muted">Cargando el catálogo de tipificación…</p>}

      <div className="wrapup-codes">
        {groups.map((group) => (
          <fieldset key={group.id} className="code-group">
            <legend>{group.name}</legend>
            {group.codes.map((entry) => (
              <button
                key={entry.code}
                type="button"
                className={entry.code === selectedCode ? 'code-button selected' : 'code-button'}
                data-testid={`wrapup-code-${entry.code}`}
                aria-pressed={entry.code === selectedCode}
                title={entry.shortcut ? `Atajo: tecla ${entry.shortcut.toUpperCase()}` : undefined}
                onClick={() => selectCode(entry.code)}
              >
                {entry.shortcut && <kbd>{entry.shortcut.toUpperCase()}</kbd>}
                <span className="code-label">{entry.label}</span>
                <span className="code-id">{entry.code}</span>
              </button>
            ))}
          </fieldset>
        ))}
      </div>

      {code && code.fields.length > 0 && (
        <div className="wrapup-fields">
          {code.fields.map((field) => (
            <WrapUpField
              key={`${code.code}-${field.name}`}
              field={field}
              error={fieldErrors[field.name] ?? null}
              callback={code.effects.includes('schedule-callback') ? { attemptId: wrapUp.attemptId, code: code.code } : undefined}
            />
          ))}
        </div>
      )}

      <label className="field">
        <span className="field-label">Nota</span>
        <textarea
          data-testid="wrapup-note"
          rows={2}
          maxLength={NOTE_MAX_LENGTH}
          value={note}
          onChange={(event) => setNote(event.target.value)}
        />
        {fieldErrors.note && <span className="field-error">{fieldErrors.note}</span>}
      </label>

      {(formError || otherErrors.length > 0) && (
        <div className="form-error" role="alert" data-testid="wrapup-error">
          {formError && <p>{formError}</p>}
          {otherErrors.map(([name, message]) => (
            <p key={name}>{message}</p>
          ))}
        </div>
      )}

      <div className="wrapup-actions">
        <button type="submit" className="primary-button" data-testid="wrapup-save" disabled={saving}>
          {saving ? 'Guardando…' : 'Guardar tipificación'}
        </button>
        {code && <span className="muted">Resultado: {code.label} · Enter guarda, Esc cambia el resultado</span>}
      </div>
    </form>
  );
}
