import { useEffect, useState } from 'react';
import type { StrategyPreview, StrategyVocabulary } from '@gestiona/core/ipc';
import type { SegmentDefinition, StrategySet } from '@gestiona/core/strategy/schema';
import { showDateTime } from '../../../display.ts';
import {
  addActivity,
  addTreatment,
  deleteActivity,
  deleteTreatment,
  timelineOf,
  updateActivity,
  updateSegment,
  updateStrategy,
  updateTreatment,
  type StrategyTarget,
} from '../../../store/admin-strategy-draft.ts';
import { useAdminStrategyStore } from '../../../store/admin-strategy.ts';
import { fieldError } from './fields.ts';
import { RuleEditor } from './RuleEditor.tsx';
import { SegmentList } from './SegmentList.tsx';
import { TimelineEditor } from './TimelineEditor.tsx';

/** "Segmentos y estrategias": edit the ordered segments and their strategies, preview the movement of debtors, publish. */
export function StrategyEditor() {
  const { current, vocabulary, draft, selectedIndex, preview, busy, error, notice } = useAdminStrategyStore();

  useEffect(() => {
    void useAdminStrategyStore.getState().load();
  }, []);

  if (!draft || !current || !vocabulary) {
    return (
      <div className="strategy-editor">
        {error ? (
          <p className="message message-error" role="alert">
            {error.message}
          </p>
        ) : (
          <p className="muted">{busy === 'loading' ? 'Cargando la estrategia en vigor…' : ''}</p>
        )}
        {error && (
          <button type="button" onClick={() => void useAdminStrategyStore.getState().load()}>
            Reintentar
          </button>
        )}
      </div>
    );
  }

  const segment = draft.segments[selectedIndex] ?? draft.segments[0]!;
  const index = draft.segments.indexOf(segment);
  const fields = error?.fields ?? {};

  return (
    <div className="strategy-editor" data-testid="strategy-editor">
      <header className="strategy-editor-header">
        <p className="muted" data-testid="strategy-current">
          En vigor: versión {current.version}
          {current.publishedAt ? `, publicada el ${showDateTime(current.publishedAt)}` : ' (de fábrica)'}
          {current.publishedBy ? ` por ${current.publishedBy}` : ''}.
        </p>
        <label className="inline-field">
          Versión del borrador
          <input
            data-testid="strategy-version"
            value={draft.version}
            onChange={(event) => {
              const version = event.target.value;
              useAdminStrategyStore.getState().edit((set) => ({ ...set, version }));
            }}
          />
        </label>
        <FieldError text={fields.version} />
        <button type="button" onClick={() => useAdminStrategyStore.getState().discard()} disabled={busy !== null}>
          Descartar cambios
        </button>
      </header>

      {error && (
        <div className="message message-error" role="alert" data-testid="strategy-error">
          <p>{error.message}</p>
        </div>
      )}
      {notice && (
        <p className="message message-info" role="status" data-testid="strategy-notice">
          {notice}
        </p>
      )}

      <div className="strategy-layout">
        <SegmentList draft={draft} selectedIndex={index} />
        <SegmentDetail key={index} segment={segment} index={index} isLast={index === draft.segments.length - 1} vocabulary={vocabulary} fields={fields} />
      </div>

      <PublishPanel draft={draft} preview={preview} busy={busy} />
    </div>
  );
}

interface SegmentDetailProps {
  segment: SegmentDefinition;
  index: number;
  isLast: boolean;
  vocabulary: StrategyVocabulary;
  fields: Record<string, string>;
}

function SegmentDetail({ segment, index, isLast, vocabulary, fields }: SegmentDetailProps) {
  const edit = useAdminStrategyStore((store) => store.edit);
  const [target, setTarget] = useState<StrategyTarget>({ kind: 'segment' });
  const at = `segments[${index}]`;
  const treatments = segment.strategy.treatments ?? [];
  const editedTarget: StrategyTarget = target.kind === 'treatment' && target.index >= treatments.length ? { kind: 'segment' } : target;
  const timelinePath = editedTarget.kind === 'segment' ? `${at}.strategy.timeline` : `${at}.strategy.treatments[${editedTarget.index}].timeline`;

  return (
    <section className="segment-detail panel" aria-label={`Segmento ${segment.name}`} data-testid="segment-detail">
      <div className="form-row">
        <label>
          Nombre
          <input data-testid="segment-name" value={segment.name} onChange={(event) => edit((set) => updateSegment(set, index, { name: event.target.value }))} />
          <FieldError text={fields[`${at}.name`]} />
        </label>
        <label>
          Identificador
          <input data-testid="segment-id" value={segment.id} onChange={(event) => edit((set) => updateSegment(set, index, { id: event.target.value }))} />
          <FieldError text={fields[`${at}.id`]} />
        </label>
      </div>
      <label>
        Descripción
        <input value={segment.description ?? ''} onChange={(event) => edit((set) => updateSegment(set, index, { description: event.target.value }))} />
      </label>

      {isLast ? (
        <p className="muted">Último segmento: recoge a todos los deudores que no cumplieron la regla de un segmento anterior. Para cambiarlo, mueva otro segmento al final.</p>
      ) : (
        <RuleEditor rule={segment.rule} vocabulary={vocabulary} path={`${at}.rule`} fields={fields} onChange={(rule) => edit((set) => updateSegment(set, index, { rule }))} />
      )}
      {isLast && <FieldError text={fieldError(fields, `${at}.rule`) ?? undefined} />}

      <fieldset>
        <legend>Estrategia</legend>
        <label>
          Fórmula de prioridad (mayor se trabaja primero)
          <input
            className="formula-input"
            data-testid="strategy-priority"
            value={segment.strategy.priority}
            onChange={(event) => edit((set) => updateStrategy(set, index, { priority: event.target.value }))}
          />
          <FieldError text={fields[`${at}.strategy.priority`]} />
        </label>
        <p className="muted">Variables: {vocabulary.variables.filter((variable) => variable.type === 'number').map((variable) => variable.name).join(', ')}.</p>
        <label>
          Guion
          <input value={segment.strategy.scriptId} onChange={(event) => edit((set) => updateStrategy(set, index, { scriptId: event.target.value }))} />
          <FieldError text={fields[`${at}.strategy.scriptId`]} />
        </label>
      </fieldset>

      <TreatmentsEditor segment={segment} index={index} fields={fields} />

      <fieldset>
        <legend>Línea de tiempo</legend>
        {treatments.length > 0 && (
          <label className="inline-field">
            Editar la línea de tiempo de
            <select
              value={editedTarget.kind === 'segment' ? 'segment' : String(editedTarget.index)}
              onChange={(event) => setTarget(event.target.value === 'segment' ? { kind: 'segment' } : { kind: 'treatment', index: Number(event.target.value) })}
            >
              <option value="segment">el segmento</option>
              {treatments.map((treatment, position) => (
                <option key={treatment.id} value={position}>
                  el tratamiento {treatment.name}
                  {treatment.timeline ? '' : ' (usa la del segmento)'}
                </option>
              ))}
            </select>
          </label>
        )}
        <TimelineEditor
          timeline={timelineOf(segment, editedTarget)}
          path={timelinePath}
          fields={fields}
          onAdd={(channel, day) => {
            let activityId = '';
            edit((set) => {
              const added = addActivity(set, index, editedTarget, channel, day);
              activityId = added.activityId;
              return added.set;
            });
            return activityId;
          }}
          onUpdate={(activityId, patch) => edit((set) => updateActivity(set, index, editedTarget, activityId, patch))}
          onDelete={(activityId) => edit((set) => deleteActivity(set, index, editedTarget, activityId))}
        />
      </fieldset>
    </section>
  );
}

function TreatmentsEditor({ segment, index, fields }: { segment: SegmentDefinition; index: number; fields: Record<string, string> }) {
  const edit = useAdminStrategyStore((store) => store.edit);
  const treatments = segment.strategy.treatments ?? [];
  const at = `segments[${index}].strategy.treatments`;

  return (
    <fieldset className="treatments">
      <legend>Campeón / retador</legend>
      {treatments.length === 0 && <p className="muted">Todos los deudores del segmento reciben la misma estrategia.</p>}
      {treatments.length > 0 && (
        <table className="data-table">
          <thead>
            <tr>
              <th>Tratamiento</th>
              <th>Papel</th>
              <th className="numeric">% de deudores</th>
              <th>Prioridad propia</th>
              <th>Guion propio</th>
              <th />
            </tr>
          </thead>
          <tbody>
            {treatments.map((treatment, position) => (
              <tr key={position} data-testid="treatment-row">
                <td>
                  <input aria-label="Nombre del tratamiento" value={treatment.name} onChange={(event) => edit((set) => updateTreatment(set, index, position, { name: event.target.value }))} />
                </td>
                <td>
                  <select
                    aria-label="Papel"
                    value={treatment.role}
                    onChange={(event) => edit((set) => updateTreatment(set, index, position, { role: event.target.value === 'champion' ? 'champion' : 'challenger' }))}
                  >
                    <option value="champion">campeón</option>
                    <option value="challenger">retador</option>
                  </select>
                </td>
                <td className="numeric">
                  <input
                    aria-label="Porcentaje"
                    inputMode="numeric"
                    value={String(treatment.percent)}
                    onChange={(event) => {
                      const percent = Number(event.target.value);
                      if (Number.isInteger(percent)) edit((set) => updateTreatment(set, index, position, { percent }));
                    }}
                  />
                </td>
                <td>
                  <input
                    aria-label="Fórmula de prioridad del tratamiento"
                    placeholder="la del segmento"
                    value={treatment.priority ?? ''}
                    onChange={(event) => {
                      const priority = event.target.value;
                      edit((set) => updateTreatment(set, index, position, { priority: priority === '' ? undefined : priority }));
                    }}
                  />
                  <FieldError text={fields[`${at}[${position}].priority`]} />
                </td>
                <td>
                  <input
                    aria-label="Guion del tratamiento"
                    placeholder="el del segmento"
                    value={treatment.scriptId ?? ''}
                    onChange={(event) => {
                      const scriptId = event.target.value;
                      edit((set) => updateTreatment(set, index, position, { scriptId: scriptId === '' ? undefined : scriptId }));
                    }}
                  />
                </td>
                <td>
                  <button type="button" className="link-button" onClick={() => edit((set) => deleteTreatment(set, index, position))}>
                    Quitar
                  </button>
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      <FieldError text={fields[at]} />
      <button type="button" onClick={() => edit((set) => addTreatment(set, index))}>
        {treatments.length === 0 ? 'Dividir en campeón y retador' : 'Agregar retador'}
      </button>
    </fieldset>
  );
}

function PublishPanel({ draft, preview, busy }: { draft: StrategySet; preview: StrategyPreview | null; busy: string | null }) {
  const [reason, setReason] = useState('');
  const { runPreview, publish } = useAdminStrategyStore.getState();
  const moved = preview?.moves.filter((move) => move.fromId !== move.toId) ?? [];
  const movedCount = moved.reduce((total, move) => total + move.count, 0);

  return (
    <section className="publish-panel panel" aria-label="Previsualizar y publicar">
      <h2>Previsualizar y publicar la versión {draft.version}</h2>
      <p className="muted">La previsualización cuenta, sin guardar nada, cuántos deudores cambiarían de segmento. Publicar pide una previsualización del borrador actual.</p>
      <button type="button" data-testid="strategy-preview" disabled={busy !== null} onClick={() => void runPreview()}>
        {busy === 'previewing' ? 'Calculando…' : 'Previsualizar'}
      </button>
      {preview && (
        <div data-testid="strategy-preview-result">
          <p>
            {movedCount.toLocaleString('es-CO')} de {preview.total.toLocaleString('es-CO')} deudores cambiarían de segmento.
          </p>
          {moved.length > 0 && (
            <table className="data-table">
              <thead>
                <tr>
                  <th>De</th>
                  <th>A</th>
                  <th className="numeric">Deudores</th>
                </tr>
              </thead>
              <tbody>
                {moved.map((move) => (
                  <tr key={`${move.fromId ?? '-'}>${move.toId}`} data-testid="preview-move" data-from={move.fromId ?? ''} data-to={move.toId}>
                    <td>{move.fromName ?? 'Sin segmento'}</td>
                    <td>{move.toName}</td>
                    <td className="numeric">{move.count.toLocaleString('es-CO')}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          )}
        </div>
      )}
      <label>
        Motivo del cambio (opcional)
        <input data-testid="strategy-reason" value={reason} maxLength={500} onChange={(event) => setReason(event.target.value)} />
      </label>
      <button type="button" className="primary-button" data-testid="strategy-publish" disabled={busy !== null || preview === null} onClick={() => void publish(reason)}>
        {busy === 'publishing' ? 'Publicando…' : 'Publicar'}
      </button>
    </section>
  );
}

function FieldError({ text }: { text: string | undefined }) {
  return text ? (
    <span className="field-error" role="alert">
      {text}
    </span>
  ) : null;
}
