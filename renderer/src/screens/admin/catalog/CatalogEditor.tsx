/**
 * "Catálogo de tipificación": the tree of groups and codes, the chosen code's label, class, shortcut,
 * fields and effects, retiring and adding codes, and publishing a new version through main to the
 * central server. Problems are listed in Spanish, each naming its field, before and after publishing.
 */
import { useEffect, useState } from 'react';
import type { Catalog, CatalogCode, CatalogField, Effect } from '@gestiona/core/catalog';
import { catalogTree, EFFECT_LABELS } from '@gestiona/core/catalog-rules';
import { COMPLIANCE_CLASS_LABELS } from '@gestiona/core/compliance-class-labels';
import type { IpcValue } from '@gestiona/core/ipc';
import { callApi } from '../../../api/client.ts';
import { showDateTime } from '../../../display.ts';
import {
  addCode,
  addField,
  addGroup,
  draftFromPublished,
  draftProblems,
  FIELD_TYPE_LABELS,
  isLoadedPublished,
  removeCode,
  removeField,
  toggleEffect,
  updateCode,
  updateField,
  updateGroup,
} from './catalog-draft.ts';

type Loaded = IpcValue<'admin:catalog-get'>;
type Current = NonNullable<Loaded['current']>;

const EFFECTS = Object.keys(EFFECT_LABELS) as Effect[];
const CLASSES = Object.keys(COMPLIANCE_CLASS_LABELS) as CatalogCode['class'][];
const FIELD_TYPES = Object.keys(FIELD_TYPE_LABELS) as CatalogField['type'][];

export function CatalogEditor() {
  const [loaded, setLoaded] = useState<Loaded | null>(null);
  const [draft, setDraft] = useState<Catalog | null>(null);
  const [selected, setSelected] = useState(0);
  const [reason, setReason] = useState('');
  const [busy, setBusy] = useState<'loading' | 'publishing' | null>('loading');
  const [error, setError] = useState<{ message: string; fields: Record<string, string> } | null>(null);
  const [notice, setNotice] = useState<string | null>(null);

  /** Stores the result of `admin:catalog-get`. */
  function applyLoaded(result: Awaited<ReturnType<typeof callApi<'admin:catalog-get'>>>) {
    setBusy(null);
    if (!result.ok) {
      setError({ message: result.error.message, fields: result.error.fields ?? {} });
      return;
    }
    setLoaded(result.value);
    setDraft(result.value.current ? draftFromPublished(result.value.current.catalog) : null);
    setError(null);
  }

  /** Reads the catalog in force. Every state change happens after the result arrives. */
  function load(): Promise<void> {
    return callApi('admin:catalog-get', {}).then(applyLoaded);
  }

  useEffect(() => {
    let cancelled = false;
    void callApi('admin:catalog-get', {}).then((result) => {
      if (!cancelled) applyLoaded(result);
    });
    return () => {
      cancelled = true;
    };
  }, []);

  if (!loaded || !draft || !loaded.current) {
    return (
      <div className="strategy-editor catalog-editor">
        {error ? (
          <>
            <p className="message message-error" role="alert">
              {error.message}
            </p>
            <button
              type="button"
              onClick={() => {
                setBusy('loading');
                void load();
              }}
            >
              Reintentar
            </button>
          </>
        ) : (
          <p className="muted">{busy === 'loading' ? 'Cargando el catálogo en vigor…' : 'El servidor aún no tiene catálogo publicado.'}</p>
        )}
      </div>
    );
  }

  const current: Current = loaded.current;
  const published = current.catalog;
  const problems = draftProblems(draft, published);
  const code = draft.codes[selected] ?? draft.codes[0]!;
  const index = draft.codes.indexOf(code);

  async function publish() {
    if (!draft || problems.length > 0) return;
    setBusy('publishing');
    setNotice(null);
    const result = await callApi('admin:catalog-publish', { catalog: draft, reason: reason.trim() === '' ? null : reason.trim() });
    setBusy(null);
    if (!result.ok) {
      setError({ message: result.error.message, fields: result.error.fields ?? {} });
      return;
    }
    setError(null);
    setReason('');
    setNotice(
      result.value.published
        ? `Catálogo ${result.value.version} publicado el ${showDateTime(result.value.publishedAt)}. Las estaciones lo reciben al sincronizar.`
        : `El catálogo ${result.value.version} ya estaba en vigor: no se publicó nada.`,
    );
    await load();
  }

  return (
    <div className="strategy-editor catalog-editor" data-testid="catalog-editor">
      <header className="strategy-editor-header">
        <p className="muted" data-testid="catalog-current">
          En vigor: versión {current.version}, publicada el {showDateTime(current.publishedAt)}
          {current.publishedBy ? ` por ${current.publishedBy}` : ' (archivo de fábrica)'}.
        </p>
        <label className="inline-field">
          Versión nueva
          <input data-testid="catalog-version" value={draft.version} onChange={(event) => setDraft({ ...draft, version: event.target.value })} />
        </label>
        <label className="inline-field">
          Motivo
          <input data-testid="catalog-reason" value={reason} maxLength={500} onChange={(event) => setReason(event.target.value)} />
        </label>
        <button type="button" className="primary-button" data-testid="catalog-publish" disabled={busy !== null || problems.length > 0} onClick={() => void publish()}>
          {busy === 'publishing' ? 'Publicando…' : 'Publicar'}
        </button>
        <button type="button" disabled={busy !== null} onClick={() => setDraft(draftFromPublished(published))}>
          Descartar cambios
        </button>
      </header>

      {notice && (
        <p className="message" role="status" data-testid="catalog-notice">
          {notice}
        </p>
      )}
      {error && (
        <div className="message message-error" role="alert" data-testid="catalog-error">
          <p>{error.message}</p>
        </div>
      )}
      {problems.length > 0 && (
        <div className="message message-error" data-testid="catalog-problems">
          <p>Corrija antes de publicar:</p>
          <ul>
            {problems.map((problem, position) => (
              <li key={`${problem.path}-${position}`}>{problem.message}</li>
            ))}
          </ul>
        </div>
      )}

      <div className="strategy-layout">
        <nav className="segment-list" aria-label="Grupos y códigos">
          {catalogTree(draft, { includeRetired: true }).map((group) => (
            <div key={group.id}>
              <label className="inline-field">
                <input
                  aria-label={`Nombre del grupo ${group.id}`}
                  value={group.name}
                  onChange={(event) => setDraft(updateGroup(draft, group.id, { name: event.target.value }))}
                />
                <input
                  type="number"
                  min={1}
                  aria-label={`Orden del grupo ${group.id}`}
                  value={group.order}
                  onChange={(event) => setDraft(updateGroup(draft, group.id, { order: Number(event.target.value) || 1 }))}
                />
              </label>
              <ol>
                {group.codes.map((entry) => {
                  const position = draft.codes.indexOf(entry);
                  return (
                    // Keyed by position: a new row may carry the same id as another while the duplicate waits to be fixed.
                    <li key={position} className={position === index ? 'segment-item selected' : 'segment-item'}>
                      <button type="button" className="segment-select" data-testid={`catalog-code-${entry.code}`} onClick={() => setSelected(position)}>
                        {entry.shortcut && <kbd>{entry.shortcut.toUpperCase()}</kbd>} {entry.code} · {entry.label}
                        {entry.retired ? ' (retirado)' : ''}
                      </button>
                    </li>
                  );
                })}
              </ol>
              <button
                type="button"
                className="link-button"
                onClick={() => {
                  const added = addCode(draft, group.id);
                  setDraft(added.draft);
                  setSelected(added.index);
                }}
              >
                Añadir código a {group.name}
              </button>
            </div>
          ))}
          <button type="button" className="link-button" onClick={() => setDraft(addGroup(draft, 'Grupo nuevo'))}>
            Añadir grupo
          </button>
        </nav>

        <CodeDetail
          draft={draft}
          index={index}
          published={isLoadedPublished(draft, index, published)}
          fieldErrors={error?.fields ?? {}}
          onChange={(next) => setDraft(next)}
          onRemove={() => {
            if (!isLoadedPublished(draft, index, published)) setSelected(0);
            setDraft(removeCode(draft, index, published));
          }}
        />
      </div>

      <details>
        <summary>Historial de versiones ({loaded.history.length})</summary>
        <ul data-testid="catalog-history">
          {loaded.history.map((entry) => (
            <li key={`${entry.version}-${entry.publishedAt}`}>
              {entry.version} · {showDateTime(entry.publishedAt)} · {entry.publishedBy ?? 'archivo de fábrica'}
              {entry.reason ? ` · ${entry.reason}` : ''}
            </li>
          ))}
        </ul>
      </details>
    </div>
  );
}

interface CodeDetailProps {
  draft: Catalog;
  index: number;
  published: boolean;
  fieldErrors: Record<string, string>;
  onChange(draft: Catalog): void;
  onRemove(): void;
}

function CodeDetail({ draft, index, published, fieldErrors, onChange, onRemove }: CodeDetailProps) {
  const code = draft.codes[index]!;
  const at = `codes.${index}`;
  const set = (patch: Partial<CatalogCode>) => onChange(updateCode(draft, index, patch));

  return (
    <section className="segment-detail" data-testid="catalog-code-detail">
      <div className="form-row">
        <label>
          Código
          <input data-testid="catalog-code-id" value={code.code} disabled={published} onChange={(event) => set({ code: event.target.value.toUpperCase() })} />
          <FieldError text={fieldErrors[`${at}.code`]} />
        </label>
        <label>
          Nombre
          <input data-testid="catalog-code-label" value={code.label} maxLength={100} onChange={(event) => set({ label: event.target.value })} />
          <FieldError text={fieldErrors[`${at}.label`]} />
        </label>
        <label>
          Grupo
          <select value={code.group} onChange={(event) => set({ group: event.target.value })}>
            {(draft.groups ?? []).map((group) => (
              <option key={group.id} value={group.id}>
                {group.name}
              </option>
            ))}
          </select>
        </label>
        <label>
          Clase de cumplimiento
          <select data-testid="catalog-code-class" value={code.class} disabled={published} onChange={(event) => set({ class: event.target.value as CatalogCode['class'] })}>
            {CLASSES.map((value) => (
              <option key={value} value={value}>
                {COMPLIANCE_CLASS_LABELS[value]}
              </option>
            ))}
          </select>
          {published && <span className="field-hint">Ya publicada: los contactos se contaron con esta clase. Para otra clase, retire el código y cree uno nuevo.</span>}
        </label>
        <label>
          Atajo de teclado
          <input
            data-testid="catalog-code-shortcut"
            value={code.shortcut ?? ''}
            maxLength={1}
            onChange={(event) => set({ shortcut: event.target.value === '' ? null : event.target.value.toUpperCase() })}
          />
          <FieldError text={fieldErrors[`${at}.shortcut`]} />
        </label>
        <label className="inline-field">
          <input type="checkbox" data-testid="catalog-code-retired" checked={code.retired} onChange={(event) => set({ retired: event.target.checked })} />
          Retirado (se conserva para el historial, pero ya no se puede elegir)
        </label>
      </div>

      <fieldset>
        <legend>Efectos</legend>
        {EFFECTS.map((effect) => (
          <label key={effect} className="inline-field">
            <input type="checkbox" checked={code.effects.includes(effect)} onChange={() => onChange(toggleEffect(draft, index, effect))} />
            {EFFECT_LABELS[effect]}
          </label>
        ))}
      </fieldset>

      <fieldset>
        <legend>Campos</legend>
        {code.fields.map((field, fieldIndex) => (
          <FieldRow key={fieldIndex} draft={draft} index={index} fieldIndex={fieldIndex} field={field} onChange={onChange} />
        ))}
        <button type="button" className="link-button" onClick={() => onChange(addField(draft, index))}>
          Añadir campo
        </button>
      </fieldset>

      <button type="button" data-testid="catalog-code-remove" onClick={onRemove}>
        {published ? 'Retirar código' : 'Eliminar código nuevo'}
      </button>
    </section>
  );
}

function FieldRow({ draft, index, fieldIndex, field, onChange }: { draft: Catalog; index: number; fieldIndex: number; field: CatalogField; onChange(draft: Catalog): void }) {
  const set = (patch: Partial<CatalogField>) => onChange(updateField(draft, index, fieldIndex, patch));
  const numberOrUndefined = (text: string): number | undefined => (text.trim() === '' ? undefined : Number(text));
  return (
    <div className="condition-row">
      <input aria-label="Nombre interno" value={field.name} onChange={(event) => set({ name: event.target.value })} />
      <input aria-label="Etiqueta" value={field.label} onChange={(event) => set({ label: event.target.value })} />
      <select aria-label="Tipo" value={field.type} onChange={(event) => set({ type: event.target.value as CatalogField['type'] })}>
        {FIELD_TYPES.map((type) => (
          <option key={type} value={type}>
            {FIELD_TYPE_LABELS[type]}
          </option>
        ))}
      </select>
      <label className="inline-field">
        <input type="checkbox" checked={field.required} onChange={(event) => set({ required: event.target.checked })} />
        Obligatorio
      </label>
      {field.type === 'date' && (
        <>
          <select aria-label="Límite de fecha" value={field.when ?? ''} onChange={(event) => set({ when: event.target.value === '' ? undefined : (event.target.value as 'today-or-later' | 'today-or-earlier') })}>
            <option value="">Cualquier fecha</option>
            <option value="today-or-later">Hoy o después</option>
            <option value="today-or-earlier">Hoy o antes</option>
          </select>
          <input type="number" min={1} aria-label="Días máximos desde hoy" placeholder="Días máx." value={field.maxDaysAhead ?? ''} onChange={(event) => set({ maxDaysAhead: numberOrUndefined(event.target.value) })} />
        </>
      )}
      {field.type === 'text' && (
        <input type="number" min={1} max={2000} aria-label="Largo máximo" placeholder="Largo máx." value={field.maxLength ?? ''} onChange={(event) => set({ maxLength: numberOrUndefined(event.target.value) })} />
      )}
      {field.type === 'instalments' && (
        <input type="number" min={2} max={60} aria-label="Cuotas máximas" placeholder="Cuotas máx." value={field.maxInstalments ?? ''} onChange={(event) => set({ maxInstalments: numberOrUndefined(event.target.value) })} />
      )}
      <button type="button" className="link-button" onClick={() => onChange(removeField(draft, index, fieldIndex))}>
        Quitar
      </button>
    </div>
  );
}

function FieldError({ text }: { text: string | undefined }) {
  return text ? <span className="field-error">{text}</span> : null;
}
