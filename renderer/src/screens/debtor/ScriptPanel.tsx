/**
 * The call script, walked step by step: the steps already walked (with the answer chosen), the
 * current step with the debtor's possible answers as buttons, and "Anterior". Main decides every
 * move (`script:answer`) and keeps the path for the interaction. Steps not reached yet are not
 * shown, so a debt step appears only after the identity answer; a debt step is also kept hidden
 * while main reports the identity unconfirmed.
 *
 * Keyboard: with the focus in the panel, 1–9 choose an answer and Retroceso goes back.
 */
import { useEffect, useRef, type KeyboardEvent } from 'react';
import type { DebtorView, ScriptStepView } from '@gestiona/core/ipc';
import { useDebtorStore } from '../../store/debtor.ts';
import { useScriptStore } from '../../store/script.ts';
import { useSessionStore } from '../../store/session.ts';

/** Kinds that speak of the debt; shown only once main reports the identity confirmed (R12). */
const DEBT_KINDS = new Set<ScriptStepView['kind']>(['reason', 'negotiation', 'objection']);

export function ScriptPanel({ script }: { script: DebtorView['script'] }) {
  const debtorId = useDebtorStore((store) => store.debtorId);
  const attemptId = useSessionStore((store) => (store.state?.wrapUp?.debtorId === debtorId ? (store.state?.wrapUp?.attemptId ?? null) : null));
  const walk = useScriptStore((store) => store.walk);
  const busy = useScriptStore((store) => store.busy);
  const error = useScriptStore((store) => store.error);
  const load = useScriptStore((store) => store.load);
  const answer = useScriptStore((store) => store.answer);
  const back = useScriptStore((store) => store.back);
  const panel = useRef<HTMLElement>(null);
  /** Set by a keyboard move, so the focus follows to the next step's answers instead of falling to the page. */
  const keyboardMove = useRef(false);

  // A new contact (dial) or its end (wrap-up saved) changes the walk main keeps.
  useEffect(() => {
    if (debtorId !== null) void load(debtorId);
  }, [debtorId, attemptId, script.id, script.version, load]);

  const byId = new Map(script.steps.map((step) => [step.id, step]));
  const current = walk !== null && walk.debtorId === debtorId && walk.scriptId === script.id ? (byId.get(walk.at) ?? script.steps[0]) : script.steps[0];
  const path = walk !== null && walk.debtorId === debtorId && walk.scriptId === script.id ? walk.path : [];
  const identityConfirmed = walk?.identityConfirmed === true;
  const open = walk?.attemptId != null;
  const edges = current?.edges ?? [];

  // Keep the focus on the answers when the agent works the panel with the keyboard.
  useEffect(() => {
    if (!keyboardMove.current || busy) return;
    const target = panel.current?.querySelector<HTMLButtonElement>('[data-testid="script-answer"]:not(:disabled), [data-testid="script-back"]:not(:disabled)');
    target?.focus();
  }, [current?.id, path.length, busy]);

  function onKeyDown(event: KeyboardEvent<HTMLElement>) {
    if (event.altKey || event.ctrlKey || event.metaKey) return;
    keyboardMove.current = true;
    if (/^[1-9]$/.test(event.key)) {
      const edge = edges[Number(event.key) - 1];
      if (edge && open) {
        event.preventDefault();
        void answer(edge.answer);
      }
    } else if (event.key === 'Backspace' && path.length > 0) {
      event.preventDefault();
      void back();
    }
  }

  if (current === undefined) return null;
  return (
    <section
      className="panel script-panel"
      ref={panel}
      onKeyDown={onKeyDown}
      onPointerDown={() => {
        keyboardMove.current = false;
      }}
      aria-label={`Guion: ${script.name}`}
    >
      <h2 className="panel-title">Guion: {script.name}</h2>
      <ol className="script-steps">
        {path.map((entry, index) => {
          const step = byId.get(entry.stepId);
          const chosen = step?.edges?.find((edge) => edge.answer === entry.answer);
          return (
            <li key={`${index}-${entry.stepId}`} className={`script-step step-${step?.kind ?? 'greeting'} done`} data-testid="script-step" data-step-kind={step?.kind} data-step-id={entry.stepId}>
              <h3 className="step-title">
                <span className="step-number">{index + 1}</span>
                {step?.title ?? entry.stepId}
              </h3>
              {chosen && <p className="step-text muted">→ {chosen.label}</p>}
            </li>
          );
        })}
        <li
          className={`script-step step-${current.kind} current`}
          data-testid="script-step"
          data-step-kind={current.kind}
          data-step-id={current.id}
          data-locked={current.lock ? 'true' : undefined}
          aria-current="step"
        >
          <h3 className="step-title">
            <span className="step-number">{path.length + 1}</span>
            {current.title}
          </h3>
          {DEBT_KINDS.has(current.kind) && !identityConfirmed ? (
            <p className="step-text muted">Se muestra después de confirmar la identidad del titular.</p>
          ) : current.lock ? (
            <LockedStep lock={current.lock} />
          ) : (
            <p className="step-text" data-testid="script-step-text">
              {current.text}
            </p>
          )}
        </li>
      </ol>

      {edges.length > 0 && (
        <div className="script-nav" role="group" aria-label="Respuesta de la persona">
          {edges.map((edge, index) => (
            <button
              key={edge.answer ?? 'siguiente'}
              type="button"
              className={edge.confirms || edges.length === 1 ? 'primary-button' : undefined}
              data-testid="script-answer"
              data-answer={edge.answer ?? ''}
              aria-keyshortcuts={index < 9 ? String(index + 1) : undefined}
              disabled={!open || busy}
              onClick={() => void answer(edge.answer)}
            >
              {index < 9 ? `${index + 1}. ` : ''}
              {edge.label}
            </button>
          ))}
        </div>
      )}
      {edges.length === 0 && current.kind === 'closing' && <p className="hint">Fin del guion: cuelgue y tipifique la gestión.</p>}
      <div className="script-nav">
        <button type="button" data-testid="script-back" aria-keyshortcuts="Backspace" disabled={!open || busy || path.length === 0} onClick={() => void back()}>
          Anterior
        </button>
      </div>

      {!open && <p className="hint">El guion avanza durante la llamada: marque a la persona para empezar.</p>}
      {current.kind === 'identity-check' && (
        <p className="hint">Si no es el titular, no dé detalles de la deuda: deje un mensaje neutral y tipifique con tercero.</p>
      )}
      {error && (
        <p className="message message-error" role="alert" data-testid="script-error">
          {error}
        </p>
      )}
    </section>
  );
}

/** A step main withheld because a rule does not allow it yet; main sent the reasons, not the text. */
function LockedStep({ lock }: { lock: NonNullable<ScriptStepView['lock']> }) {
  return (
    <div className="step-text" data-testid="script-step-lock">
      <p className="warning-line">Paso bloqueado: no lo lea al titular.</p>
      <ul className="gate-reasons">
        {lock.reasons.map((reason) => (
          <li key={reason}>
            <span className="rule-tag">{lock.rules.join(', ')}</span>
            <span>{reason}</span>
          </li>
        ))}
      </ul>
    </div>
  );
}
