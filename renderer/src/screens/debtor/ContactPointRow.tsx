import { maskAddress } from '@gestiona/core/format';
import type { PartyRole } from '@gestiona/core/domain';
import type { ContactPointView } from '@gestiona/core/ipc';
import { showAddress, showSlotWithDate } from '../../display.ts';
import { useTrustedNow } from '../../hooks/useTrustedNow.ts';
import { CHANNEL_LABELS, contactActionLabel } from '../../labels.ts';
import { useDialStore } from '../../store/dial.ts';
import { withRuleId } from './rule-text.ts';

interface ContactPointRowProps {
  debtorId: string;
  role: PartyRole;
  point: ContactPointView;
}

export function ContactPointRow({ debtorId, role, point }: ContactPointRowProps) {
  const isReference = role === 'reference';
  // A reference's number must never reach a dialer. With the manual adapter the agent's own phone
  // is the dialer, so the number is masked.
  const address = isReference ? maskAddress(point.address) : showAddress(point.channel, point.address);
  const canTryDial = !isReference && mayDialLater(point);

  return (
    <li
      className={`contact-point ${point.dialable ? 'dialable' : 'not-dialable'}`}
      data-testid="contact-point"
      data-contact-point-id={point.id}
      data-role={role}
      data-channel={point.channel}
    >
      <span className={`channel-tag channel-${point.channel}`}>{CHANNEL_LABELS[point.channel]}</span>
      <span className="contact-address">{address}</span>
      <span className={point.authorized ? 'contact-auth' : 'contact-auth unauthorized'}>{point.authorizationText}</span>
      <span className="contact-action">
        {isReference && <span className="not-contactable">No contactable (R8)</span>}
        {canTryDial && <DialButton debtorId={debtorId} point={point} />}
      </span>
      {point.localTimeText && <span className="contact-local-time muted">{point.localTimeText}</span>}
      {point.flagged && <span className="contact-flag">⚑ {point.flagged}</span>}
      {!isReference && !point.dialable && <BlockedReason point={point} />}
    </li>
  );
}

/**
 * Tells whether a point gets a dial button: when dialable now, or when it is a phone the gate blocked
 * at the time the view was read. A point the gate allows but main does not dial (e-mail, WhatsApp)
 * gets none, because main rejects dialing it.
 */
function mayDialLater(point: ContactPointView): boolean {
  if (point.dialable) return true;
  return point.channel === 'voice' && point.decision !== null && !point.decision.allowed;
}

function DialButton({ debtorId, point }: { debtorId: string; point: ContactPointView }) {
  const dial = useDialStore((store) => store.dial);
  const inFlight = useDialStore((store) => store.inFlight);
  const thisInFlight = inFlight?.contactPointId === point.id;

  // A phone the gate blocked when the view was read keeps its button. The view ages while the agent
  // works, and main evaluates the gate again at the click and records a refusal too.
  return (
    <button
      type="button"
      className={point.dialable ? 'dial-button' : 'dial-button dial-button-blocked'}
      title={point.dialable ? undefined : 'Bloqueado cuando se abrió el deudor; al marcar se verifica de nuevo.'}
      data-testid="dial-button"
      disabled={inFlight !== null}
      onClick={() => void dial(debtorId, point.id)}
    >
      {thisInFlight ? 'Verificando…' : contactActionLabel(point.channel)}
    </button>
  );
}

function BlockedReason({ point }: { point: ContactPointView }) {
  const now = useTrustedNow();
  const decision = point.decision;

  if (!decision || decision.allowed) {
    // An authorised e-mail or WhatsApp is information, not a block: it is shown in the neutral style.
    if (point.authorized) return <span className="blocked-reason contact-info">Este medio no se marca desde la estación: solo se marcan teléfonos.</span>;
    return <span className="blocked-reason">{point.authorizationText}</span>;
  }

  const reasons = decision.reasons.map((reason) => withRuleId(reason.message, reason.rule));
  return (
    <span className="blocked-reason">
      {reasons.length > 0 ? reasons.join(' ') : `Bloqueado (${decision.rules.join(', ')}).`}
      {decision.nextAllowedAt && <span className="blocked-reason-next"> Próximo horario permitido: {showSlotWithDate(decision.nextAllowedAt, now)}</span>}
    </span>
  );
}
