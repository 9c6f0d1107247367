import type { PartyRole } from '@gestiona/core/domain';
import type { DebtorView, PersonView } from '@gestiona/core/ipc';
import { ROLE_GROUP_LABELS } from '../../labels.ts';
import { ContactPointRow } from './ContactPointRow.tsx';

const ROLE_ORDER: PartyRole[] = ['debtor', 'co-obligor', 'reference'];

export function PersonsPanel({ view }: { view: DebtorView }) {
  return (
    <section className="panel">
      <h2 className="panel-title">Personas y medios de contacto</h2>
      {ROLE_ORDER.map((role) => {
        const persons = view.persons.filter((person) => person.role === role);
        if (persons.length === 0) return null;
        return (
          <div key={role} className={`person-group person-group-${role}`}>
            <h3 className="group-title">{ROLE_GROUP_LABELS[role]}</h3>
            {persons.map((person) => (
              <PersonCard key={person.id} debtorId={view.id} person={person} />
            ))}
          </div>
        );
      })}
    </section>
  );
}

function PersonCard({ debtorId, person }: { debtorId: string; person: PersonView }) {
  return (
    <div className="person-card">
      <div className="person-name">
        {/* Imported text may contain bidirectional controls (U+202E), so <bdi> keeps it from reordering what follows. */}
        <bdi>{person.fullName}</bdi>
        {person.relation && (
          <span className="person-relation">
            <bdi>{person.relation}</bdi>
          </span>
        )}
      </div>
      {person.residenceText && (
        <p className="person-residence" data-testid="person-residence">
          {person.residenceText}
        </p>
      )}
      {person.scheduleRequestText && (
        <p className="person-schedule-request" data-testid="person-schedule-request">
          {person.scheduleRequestText}
        </p>
      )}
      {person.contactPoints.length === 0 ? (
        <p className="muted">Sin medios de contacto registrados.</p>
      ) : (
        <ul className="contact-points">
          {person.contactPoints.map((point) => (
            <ContactPointRow key={point.id} debtorId={debtorId} role={person.role} point={point} />
          ))}
        </ul>
      )}
    </div>
  );
}
