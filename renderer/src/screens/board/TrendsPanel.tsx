import { memo } from 'react';
import { Bar, BarChart, CartesianGrid, Legend, ResponsiveContainer, Tooltip, XAxis, YAxis } from 'recharts';
import type { BoardTrendRange } from '@gestiona/core/board';
import { useBoardLiveStore } from '../../store/board-live.ts';

const RANGE_LABELS: Record<BoardTrendRange, string> = { today: 'Hoy por hora', '30d': 'Últimos 30 días' };

/** Series of the chart, in the colours of the style guide's states. */
const SERIES = [
  { key: 'contacts', name: 'Gestiones', color: '#64748b' },
  { key: 'rightPartyContacts', name: 'Contacto directo', color: '#15803d' },
  { key: 'promises', name: 'Promesas', color: '#1d4ed8' },
] as const;

/**
 * "Tendencia": contacts, right-party contacts and promises per hour of today or per day of the last
 * 30 days. Memoised: it has no props, so a board refresh does not draw the chart again.
 */
export const TrendsPanel = memo(function TrendsPanel() {
  const { range, trends, trendsError } = useBoardLiveStore();
  const shown = trends?.range === range ? trends : null;

  return (
    <section className="board-panel" aria-labelledby="board-trends-title" data-testid="board-trends" data-range={range}>
      <div className="board-panel-head">
        <h2 id="board-trends-title">Tendencia</h2>
        <div className="board-range" role="group" aria-label="Rango">
          {(Object.keys(RANGE_LABELS) as BoardTrendRange[]).map((option) => (
            <button
              key={option}
              type="button"
              aria-pressed={option === range}
              data-testid="board-trend-range"
              data-range={option}
              onClick={() => useBoardLiveStore.getState().setRange(option)}
            >
              {RANGE_LABELS[option]}
            </button>
          ))}
        </div>
      </div>
      {trendsError && (
        <p className="message message-error" role="alert">
          {trendsError}
        </p>
      )}
      {shown ? (
        <div className="board-chart" data-testid="board-chart" data-points={shown.points.length} data-contacts={shown.points.reduce((sum, point) => sum + point.contacts, 0)}>
          <ResponsiveContainer width="100%" height="100%">
            <BarChart data={shown.points} margin={{ top: 8, right: 8, bottom: 0, left: 0 }}>
              <CartesianGrid strokeDasharray="3 3" vertical={false} />
              <XAxis dataKey="label" interval="preserveStartEnd" />
              <YAxis allowDecimals={false} width={40} />
              <Tooltip isAnimationActive={false} />
              <Legend />
              {SERIES.map((series) => (
                <Bar key={series.key} dataKey={series.key} name={series.name} fill={series.color} isAnimationActive={false} />
              ))}
            </BarChart>
          </ResponsiveContainer>
        </div>
      ) : (
        !trendsError && <p className="empty-state">Cargando…</p>
      )}
    </section>
  );
});
