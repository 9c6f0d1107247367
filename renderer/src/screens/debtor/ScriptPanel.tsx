import type { DebtorView, ScriptStepView } from '@gestiona/core/ipc';
import { useDebtorStore } from '../../store/debtor.ts';

export function ScriptPanel({ script }: { script: DebtorView['script'] }) {
  const current = useDebtorStore((store) => store.scriptStep);
  const identityConfirmed = useDebtorStore((store) => store.identityConfirmed);
  const goToStep = useDebtorStore((store) => store.goToStep);

  const identityIndex = script.steps.findIndex((step) => step.kind === 'identity-check');
  const onIdentityStep = current === identityIndex;
  const last = script.steps.length - 1;

  return (
    <section className="panel script-panel">
      <h2 className="panel-title">Guion: {script.name}</h2>
      <ol className="script-steps">
        {script.steps.map((step, index) => {
          // No debt detail may be read out before the right party is confirmed.
          const hidden = identityIndex !== -1 && index > identityIndex && !identityConfirmed;
          const className = ['script-step', `step-${step.kind}`, index === current ? 'current' : '', index < current ? 'done' : '']
            .filter(Boolean)
            .join(' ');
          return (
            <li
              key={step.id}
              className={className}
              data-testid="script-step"
              data-step-kind={step.kind}
              data-locked={step.lock ? 'true' : undefined}
              aria-current={index === current ? 'step' : undefined}
              onClick={() => goToStep(index)}
            >
              <h3 className="step-title">
                <span className="step-number">{index + 1}</span>
                {step.title}
              </h3>
              {hidden ? (
                <p className="step-text muted">Se muestra después de confirmar la identidad del titular.</p>
              ) : step.lock ? (
                <LockedStep lock={step.lock} />
              ) : (
                <p className="step-text">{step.text}</p>
              )}
            </li>
          );
        })}
      </ol>
      <div className="script-nav">
        <button type="button" disabled={current === 0} onClick={() => goToStep(current - 1)}>
          Anterior
        </button>
        <button type="button" className={onIdentityStep ? 'primary-button' : undefined} disabled={current === last} onClick={() => goToStep(current + 1)}>
          {onIdentityStep ? 'Identidad confirmada' : 'Siguiente'}
        </button>
      </div>
      {onIdentityStep && (
        <p className="hint">Si no es el titular, no dé detalles de la deuda: deje un mensaje neutral y tipifique con tercero.</p>
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
