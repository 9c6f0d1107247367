import type { PlannedActivityView, StrategyPlanView } from '@gestiona/core/ipc';
import { showDate } from '../../display.ts';

const CHANNEL_NAMES: Readonly<Record<PlannedActivityView['channel'], string>> = {
  call: 'Llamada',
  sms: 'SMS',
  email: 'Correo electrónico',
  whatsapp: 'WhatsApp',
  letter: 'Carta',
  visit: 'Visita',
};

const STATE_LABELS: Readonly<Record<PlannedActivityView['state'], string>> = {
  planned: 'Programada',
  due: 'Pendiente',
  done: 'Realizada',
  missed: 'No realizada',
  stopped: 'Detenida',
};

/** "Plan de la estrategia": every dated activity of the debtor's timeline, with the gate's verdict on it. */
export function StrategyPlanPanel({ plan }: { plan: StrategyPlanView }) {
  const heading = [plan.segmentName, plan.treatmentName].filter((part) => part !== null).join(' · ');

  return (
    <section className="panel" data-testid="strategy-plan">
      <h2 className="panel-title">Plan de la estrategia</h2>
      <p className="muted">
        {heading}
        {plan.assignedAt ? ` · en el segmento desde ${showDate(plan.assignedAt)}` : ''}
        {plan.strategyVersion ? ` · versión ${plan.strategyVersion}` : ''}
      </p>
      {plan.activities.length === 0 ? (
        <p className="empty-state">La estrategia de este segmento no tiene actividades.</p>
      ) : (
        <table className="data-table">
          <thead>
            <tr>
              <th>Fecha</th>
              <th>Canal</th>
              <th>Actividad</th>
              <th>Estado</th>
              <th>Estado legal</th>
            </tr>
          </thead>
          <tbody>
            {plan.activities.map((activity) => (
              <tr key={`${activity.activityId}-${activity.number}`} className={`plan-state-${activity.state}`} data-testid="strategy-plan-activity" data-activity-id={activity.activityId}>
                <td className="nowrap">{showDate(activity.date)}</td>
                <td>{CHANNEL_NAMES[activity.channel]}</td>
                <td>
                  {activity.name}
                  {activity.number > 1 ? ` (repetición ${activity.number - 1})` : ''}
                </td>
                <td>{STATE_LABELS[activity.state]}</td>
                <td>{activity.text}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </section>
  );
}
