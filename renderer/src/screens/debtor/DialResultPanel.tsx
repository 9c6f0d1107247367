import { useEffect, useRef } from 'react';
import type { Channel } from '@gestiona/core/domain';
import type { DialResult, PendingWrapUp } from '@gestiona/core/ipc';
import type { GateDecision } from '@gestiona/core/compliance/types';
import { assertNever } from '../../exhaustive.ts';
import { showAddress, showSlotWithDate } from '../../display.ts';
import { useTrustedNow } from '../../hooks/useTrustedNow.ts';
import { useDebtorStore } from '../../store/debtor.ts';
import { useDialStore } from '../../store/dial.ts';
import { withRuleId } from './rule-text.ts';

/** Shows the last dial on this debtor: blocked by the gate, placed, failed, or rejected by main. */
export function DialResultPanel() {
  const outcome = useDialStore((store) => store.outcome);
  const error = useDialStore((store) => store.error);
  const debtorId = useDebtorStore((store) => store.debtorId);
  const container = useRef<HTMLDivElement | null>(null);

  // The agent may have scrolled down to a co-obligor's number; the result must come into view.
  useEffect(() => {
    if (outcome || error) container.current?.scrollIntoView({ block: 'nearest' });
  }, [outcome, error]);

  const visibleOutcome = outcome && outcome.debtorId === debtorId ? outcome : null;
  if (!error && !visibleOutcome) return null;

  return (
    <div ref={container}>
      {error ? (
        <div className="result-panel result-error" role="alert" data-testid="dial-error">
          {error}
        </div>
      ) : (
        visibleOutcome && <OutcomePanel result={visibleOutcome.result} />
      )}
    </div>
  );
}

function OutcomePanel({ result }: { result: DialResult }) {
  switch (result.outcome) {
    case 'blocked':
      return <BlockedPanel decision={result.decision} />;
    case 'placed':
      return <PlacedPanel wrapUp={result.wrapUp} decision={result.decision} />;
    case 'failed':
      return (
        <div className="result-panel result-failed" role="alert" data-testid="call-failed">
          <h2>No se pudo realizar el contacto</h2>
          <p>{result.error}</p>
          <p className="strong">El intento cuenta y la gestión debe tipificarse igualmente.</p>
        </div>
      );
    default:
      return assertNever(result, 'dial outcome');
  }
}

function BlockedPanel({ decision }: { decision: GateDecision }) {
  const now = useTrustedNow();
  const rulesWithReason = new Set(decision.reasons.map((reason) => reason.rule));
  const rulesWithoutReason = decision.rules.filter((rule) => !rulesWithReason.has(rule));

  return (
    <div className="result-panel result-blocked" role="alert" data-testid="gate-blocked">
      <h2>Contacto bloqueado: no se realizó ninguna llamada</h2>
      <ul className="gate-reasons">
        {decision.reasons.map((reason, index) => (
          <li key={index}>
            <span className="rule-tag" data-testid="gate-rule">
              {reason.rule}
            </span>
            <span data-testid="gate-reason">{reason.message}</span>
          </li>
        ))}
        {rulesWithoutReason.map((rule) => (
          <li key={rule}>
            <span className="rule-tag" data-testid="gate-rule">
              {rule}
            </span>
          </li>
        ))}
      </ul>
      <p className="gate-next-slot" data-testid="gate-next-slot">
        {decision.nextAllowedAt
          ? `Próximo horario permitido: ${showSlotWithDate(decision.nextAllowedAt, now)}`
          : 'No hay un horario permitido próximo para este medio de contacto.'}
      </p>
    </div>
  );
}

function PlacedPanel({ wrapUp, decision }: { wrapUp: PendingWrapUp; decision: GateDecision }) {
  const address = showAddress(wrapUp.channel, wrapUp.address);
  return (
    <div className="result-panel result-placed" role="status" data-testid="call-placed">
      {wrapUp.adapter === 'softphone' ? (
        <>
          <h2>Llamada enviada al softphone</h2>
          <p className="placed-address">{address}</p>
        </>
      ) : (
        <>
          <h2>{manualInstruction(wrapUp.channel)}</h2>
          <p className="placed-address">{address}</p>
        </>
      )}
      <p>
        Contacto con <bdi>{wrapUp.personName}</bdi>. Al terminar, tipifique la gestión.
      </p>
      {decision.warnings.map((warning, index) => (
        <p key={index} className="warning-line">
          {withRuleId(warning.message, warning.rule)}
        </p>
      ))}
    </div>
  );
}

function manualInstruction(channel: Channel): string {
  switch (channel) {
    case 'voice':
      return 'Marque en su teléfono:';
    case 'sms':
      return 'Envíe el SMS desde su teléfono a:';
    case 'whatsapp':
      return 'Escriba por WhatsApp a:';
    case 'email':
      return 'Envíe el correo a:';
    default:
      return assertNever(channel, 'channel');
  }
}
