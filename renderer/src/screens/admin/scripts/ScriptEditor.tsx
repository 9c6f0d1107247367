/**
 * "Guiones": the administrator edits a call script's steps and answers, sees the save-time check
 * live (the same `checkScript` the server runs), walks a preview with a sample debtor, and publishes
 * a new version to every workstation.
 */
import { useEffect, useMemo, useState } from 'react';
import {
  checkScript,
  DISCLOSURE_IDS,
  edgesOf,
  renderScriptText,
  SCRIPT_DISCLOSURES,
  SCRIPT_VARIABLES,
  scriptValues,
  STEP_KIND_LABELS,
  STEP_KINDS,
  type DisclosureId,
  type ScriptDef,
  type ScriptProblem,
  type ScriptStepDef,
  type StepKind,
} from '@gestiona/core/script-check';
import { showDateTime } from '../../../display.ts';
import { useScriptAdminStore } from '../../../store/script-admin.ts';
import { addAnswer, addStep, moveStep, nextVersion, removeAnswer, removeStep, updateAnswer, updateStep } from './script-draft.ts';

/** The sample debtor of the preview: two obligations, one overdue. */
const SAMPLE_VALUES = scriptValues({
  fullName: 'María Fernanda Peña Báez',
  agentName: 'Agente de prueba',
  bogotaHour: 10,
  todayIso: '2026-12-04',
  obligations: [
    { creditor: 'Banco Andino', number: '4556001234', product: 'credit-card', balanceCents: 250_000_000, overdueCents: 40_000_000, daysPastDue: 25, dueDate: '2026-11-09' },
    { creditor: 'Coopcrédito', number: '880045', product: 'payroll-loan', balanceCents: 120_000_000, overdueCents: 0, daysPastDue: 0, dueDate: '2026-12-15' },
  ],
});

export function ScriptEditor() {
  const { scripts, selectedId, draft, busy, error, notice } = useScriptAdminStore();
  const [reason, setReason] = useState('');

  useEffect(() => {
    void useScriptAdminStore.getState().load();
  }, []);

  const problems = useMemo(() => (draft ? checkScript(draft) : []), [draft]);
  const selected = scripts.find((entry) => entry.script.id === selectedId) ?? null;

  if (!draft || !selected) {
    return (
      <div className="strategy-editor" data-testid="script-editor">
        {error ? (
          <p className="message message-error" role="alert">
            {error.message}
          </p>
        ) : (
          <p className="muted">{busy === 'loading' ? 'Cargando los guiones…' : 'No hay guiones publicados.'}</p>
        )}
        {error && (
          <button type="button" onClick={() => void useScriptAdminStore.getState().load()}>
            Reintentar
          </button>
        )}
      </div>
    );
  }

  const edit = useScriptAdminStore.getState().edit;
  const changed = JSON.stringify(draft) !== JSON.stringify(selected.script);
  const versionReused = changed && selected.history.some((entry) => entry.version === draft.version);
  const serverFields = error?.fields ?? {};

  return (
    <div className="strategy-editor" data-testid="script-editor">
      <div className="strategy-layout">
        <nav className="segment-list" aria-label="Guiones">
          <ul>
            {scripts.map((entry) => (
              <li key={entry.script.id}>
                <button
                  type="button"
                  className={entry.script.id === selectedId ? 'segment-item active' : 'segment-item'}
                  data-testid="script-list-item"
                  aria-current={entry.script.id === selectedId ? 'true' : undefined}
                  onClick={() => useScriptAdminStore.getState().select(entry.script.id)}
                >
                  {entry.script.name}
                  <span className="muted"> · v{entry.current.version}</span>
                </button>
              </li>
            ))}
          </ul>
        </nav>

        <div className="segment-detail">
          <header className="strategy-editor-header">
            <p className="muted" data-testid="script-current">
              En vigor: versión {selected.current.version}, publicada el {showDateTime(selected.current.publishedAt)}
              {selected.current.publishedBy ? ` por ${selected.current.publishedBy.fullName}` : ' (de fábrica)'}.
            </p>
          </header>

          <div className="form-row">
            <label>
              Nombre
              <input value={draft.name} maxLength={200} onChange={(event) => edit((script) => ({ ...script, name: event.target.value }))} />
            </label>
            <label>
              Versión
              <input data-testid="script-version" value={draft.version} maxLength={50} onChange={(event) => edit((script) => ({ ...script, version: event.target.value }))} />
            </label>
            <button type="button" onClick={() => edit((script) => ({ ...script, version: nextVersion(selected.current.version) }))}>
              Siguiente versión
            </button>
          </div>
          {serverFields.version && <p className="message message-error">{serverFields.version}</p>}

          <ol className="script-steps">
            {draft.steps.map((step, index) => (
              <StepCard
                key={`${index}-${step.id}`}
                script={draft}
                step={step}
                index={index}
                problems={problems.filter((problem) => problem.stepId === step.id)}
                serverProblem={serverFields[step.id] ?? null}
                onEdit={edit}
              />
            ))}
          </ol>
          <div className="segment-actions">
            <button type="button" onClick={() => edit((script) => addStep(script, -1, 'objection', 'Nueva objeción'))}>
              Agregar paso
            </button>
          </div>

          <ProblemList problems={problems} />
          <Preview script={draft} />

          <section className="publish-panel" aria-label="Publicar">
            <label>
              Motivo del cambio (opcional)
              <input value={reason} maxLength={500} onChange={(event) => setReason(event.target.value)} />
            </label>
            {versionReused && <p className="message message-error">La versión {draft.version} ya se publicó: cambie la versión antes de publicar.</p>}
            <div className="segment-actions">
              <button
                type="button"
                className="primary-button"
                data-testid="script-publish"
                disabled={!changed || problems.length > 0 || versionReused || busy !== null}
                onClick={() => void useScriptAdminStore.getState().publish(reason)}
              >
                {busy === 'publishing' ? 'Publicando…' : 'Publicar'}
              </button>
              <button type="button" disabled={!changed || busy !== null} onClick={() => useScriptAdminStore.getState().discard()}>
                Descartar cambios
              </button>
            </div>
            {error && (
              <p className="message message-error" role="alert" data-testid="script-publish-error">
                {error.message}
              </p>
            )}
            {notice && (
              <p className="message message-success" role="status" data-testid="script-publish-notice">
                {notice}
              </p>
            )}
          </section>
        </div>
      </div>
    </div>
  );
}

function StepCard(props: {
  script: ScriptDef;
  step: ScriptStepDef;
  index: number;
  problems: ScriptProblem[];
  serverProblem: string | null;
  onEdit(change: (draft: ScriptDef) => ScriptDef): void;
}) {
  const { script, step, index, problems, serverProblem, onEdit } = props;
  const targets = script.steps.filter((candidate) => candidate.id !== step.id);
  const answers = step.answers ?? [];

  return (
    <li className={`script-step step-${step.kind}`} data-testid="script-edit-step" data-step-id={step.id}>
      <div className="form-row">
        <span className="step-number">{index + 1}</span>
        <label>
          Título
          <input value={step.title} maxLength={100} onChange={(event) => onEdit((draft) => updateStep(draft, index, { title: event.target.value }))} />
        </label>
        <label>
          Tipo
          <select value={step.kind} onChange={(event) => onEdit((draft) => updateStep(draft, index, { kind: event.target.value as StepKind }))}>
            {STEP_KINDS.map((kind) => (
              <option key={kind} value={kind}>
                {STEP_KIND_LABELS[kind]}
              </option>
            ))}
          </select>
        </label>
        <span className="muted">id: {step.id}</span>
      </div>
      <label>
        Texto (variables: {Object.keys(SCRIPT_VARIABLES).map((name) => `{{${name}}}`).join(' ')})
        <textarea rows={4} value={step.text} maxLength={4000} onChange={(event) => onEdit((draft) => updateStep(draft, index, { text: event.target.value }))} />
      </label>
      <label>
        <input
          type="checkbox"
          checked={step.announces === 'credit-report'}
          onChange={(event) => onEdit((draft) => updateStep(draft, index, { announces: event.target.checked ? 'credit-report' : undefined }))}
        />
        Anuncia un reporte a las centrales de riesgo (se bloquea hasta que R14 lo permita)
      </label>

      {step.kind === 'closing' && (
        <fieldset>
          <legend>Avisos obligatorios que lee este cierre</legend>
          {DISCLOSURE_IDS.map((id) => (
            <label key={id}>
              <input
                type="checkbox"
                checked={step.disclosures?.includes(id) ?? false}
                onChange={(event) => onEdit((draft) => updateStep(draft, index, { disclosures: toggled(step.disclosures, id, event.target.checked) }))}
              />
              {SCRIPT_DISCLOSURES[id].label} (debe decir “{SCRIPT_DISCLOSURES[id].phraseText}”)
            </label>
          ))}
        </fieldset>
      )}

      <fieldset>
        <legend>Respuestas de la persona</legend>
        {answers.length === 0 && (
          <label>
            Sin respuestas, sigue a
            <select value={step.next ?? ''} onChange={(event) => onEdit((draft) => updateStep(draft, index, { next: event.target.value === '' ? undefined : event.target.value }))}>
              <option value="">{step.kind === 'closing' ? 'fin de la llamada' : 'el paso siguiente de la lista'}</option>
              {targets.map((target) => (
                <option key={target.id} value={target.id}>
                  {target.title}
                </option>
              ))}
            </select>
          </label>
        )}
        {answers.map((answer, answerIndex) => (
          <div className="form-row" key={`${answerIndex}-${answer.id}`} data-testid="script-edit-answer">
            <input aria-label="Respuesta" value={answer.label} maxLength={120} onChange={(event) => onEdit((draft) => updateAnswer(draft, index, answerIndex, { label: event.target.value }))} />
            <select aria-label="Lleva a" value={answer.next} onChange={(event) => onEdit((draft) => updateAnswer(draft, index, answerIndex, { next: event.target.value }))}>
              {!script.steps.some((candidate) => candidate.id === answer.next) && <option value={answer.next}>{answer.next} (no existe)</option>}
              {targets.map((target) => (
                <option key={target.id} value={target.id}>
                  {target.title}
                </option>
              ))}
            </select>
            {step.kind === 'identity-check' && (
              <label>
                <input type="checkbox" checked={answer.confirmsIdentity === true} onChange={(event) => onEdit((draft) => updateAnswer(draft, index, answerIndex, { confirmsIdentity: event.target.checked }))} />
                Confirma la identidad
              </label>
            )}
            <button type="button" className="danger-button" onClick={() => onEdit((draft) => removeAnswer(draft, index, answerIndex))}>
              Quitar
            </button>
          </div>
        ))}
        <button type="button" disabled={targets.length === 0} onClick={() => onEdit((draft) => addAnswer(draft, index, 'Nueva respuesta', targets[0]!.id))}>
          Agregar respuesta
        </button>
      </fieldset>

      <div className="segment-actions">
        <button type="button" disabled={index === 0} onClick={() => onEdit((draft) => moveStep(draft, index, -1))}>
          Subir
        </button>
        <button type="button" disabled={index === script.steps.length - 1} onClick={() => onEdit((draft) => moveStep(draft, index, 1))}>
          Bajar
        </button>
        <button type="button" onClick={() => onEdit((draft) => addStep(draft, index, 'objection', 'Nueva objeción'))}>
          Insertar paso debajo
        </button>
        <button type="button" className="danger-button" disabled={script.steps.length <= 2} onClick={() => onEdit((draft) => removeStep(draft, index))}>
          Borrar paso
        </button>
      </div>
      {[...problems.map((problem) => problem.message), ...(serverProblem ? [serverProblem] : [])].map((message) => (
        <p key={message} className="message message-error" data-testid="script-step-problem">
          {message}
        </p>
      ))}
    </li>
  );
}

function ProblemList({ problems }: { problems: ScriptProblem[] }) {
  if (problems.length === 0) {
    return (
      <p className="message message-success" data-testid="script-check-ok">
        Revisión: sin problemas. El guion se puede publicar.
      </p>
    );
  }
  return (
    <section aria-label="Problemas del guion" data-testid="script-problems">
      <h3>Problemas que impiden publicar ({problems.length})</h3>
      <ul>
        {problems.map((problem, index) => (
          <li key={`${index}-${problem.stepId}`}>
            {problem.rule && <span className="rule-tag">{problem.rule}</span>} {problem.message}
          </li>
        ))}
      </ul>
    </section>
  );
}

/** Walks the draft with the sample debtor, as the agent would see it once the identity is confirmed. */
function Preview({ script }: { script: ScriptDef }) {
  const [walked, setPath] = useState<string[]>([]);
  // A structural edit may remove a step the preview walked through: it then starts over.
  const path = walked.every((id) => script.steps.some((candidate) => candidate.id === id)) ? walked : [];
  const at = path.at(-1) ?? script.steps[0]?.id;
  const step = script.steps.find((candidate) => candidate.id === at);

  if (step === undefined) return null;
  return (
    <section className="panel" aria-label="Vista previa" data-testid="script-preview">
      <h3>Vista previa con un deudor de ejemplo</h3>
      <p className="step-title">{step.title}</p>
      <p className="step-text" data-testid="script-preview-text">
        {renderScriptText(step.text, SAMPLE_VALUES)}
      </p>
      <div className="script-nav">
        {edgesOf(script, step.id).map((edge) => (
          <button key={edge.answer ?? 'siguiente'} type="button" onClick={() => setPath([...path, edge.to])}>
            {edge.label}
          </button>
        ))}
        <button type="button" disabled={path.length === 0} onClick={() => setPath(path.slice(0, -1))}>
          Anterior
        </button>
        <button type="button" disabled={path.length === 0} onClick={() => setPath([])}>
          Reiniciar
        </button>
      </div>
    </section>
  );
}

function toggled(list: DisclosureId[] | undefined, id: DisclosureId, on: boolean): DisclosureId[] | undefined {
  const next = on ? [...new Set([...(list ?? []), id])] : (list ?? []).filter((entry) => entry !== id);
  return next.length === 0 ? undefined : DISCLOSURE_IDS.filter((entry) => next.includes(entry));
}
