import { useState, type CSSProperties } from 'react';
import type { TimelineActivity } from '@gestiona/core/strategy/schema';
import {
  ANCHOR_NAMES,
  CHANNEL_NAMES,
  STOP_NAMES,
  TIMELINE_CHANNELS,
  dayRange,
  occurrenceOffsets,
  type ActivityChannel,
} from '../../../store/admin-strategy-draft.ts';
import { fieldError, parseWholeNumber } from './fields.ts';

interface TimelineEditorProps {
  timeline: readonly TimelineActivity[];
  /** Field path of the timeline, e.g. `segments[1].strategy.timeline`. */
  path: string;
  fields: Record<string, string>;
  onAdd(channel: ActivityChannel, dayOffset: number): string;
  onUpdate(activityId: string, patch: Partial<TimelineActivity>): void;
  onDelete(activityId: string): void;
}

const STOP_KINDS = Object.keys(STOP_NAMES) as Array<TimelineActivity['stopOn'][number]>;

/**
 * Draws the timeline as a grid: one row per channel, one column per day, each activity at its day
 * offset with its repetitions. An activity counted from the due date is marked "V", one counted from
 * the assignment "A". Clicking an empty day adds an activity there; clicking an activity edits it.
 */
export function TimelineEditor({ timeline, path, fields, onAdd, onUpdate, onDelete }: TimelineEditorProps) {
  const [selectedId, setSelectedId] = useState<string | null>(null);
  const selected = timeline.find((activity) => activity.id === selectedId) ?? null;
  const { from, to } = dayRange(timeline);
  const days = Array.from({ length: to - from + 1 }, (_unused, position) => from + position);
  const gridStyle = { '--timeline-days': days.length } as CSSProperties;

  return (
    <div className="timeline-editor">
      <div className="timeline-grid" role="grid" aria-label="Línea de tiempo de la estrategia" style={gridStyle} data-testid="timeline-grid">
        <div className="timeline-corner" role="columnheader">
          Canal / día
        </div>
        {days.map((day) => (
          <div key={day} role="columnheader" className={day === 0 ? 'timeline-day day-zero' : 'timeline-day'}>
            {day}
          </div>
        ))}
        {TIMELINE_CHANNELS.map((channel) => (
          <TimelineRow key={channel} channel={channel} days={days} timeline={timeline} selectedId={selectedId} onSelect={setSelectedId} onAdd={(day) => setSelectedId(onAdd(channel, day))} />
        ))}
      </div>
      <p className="muted timeline-legend">
        Día 0: A = asignación al segmento, V = vencimiento de la cuota más antigua. Las marcas claras son repeticiones. Haga clic en un día vacío para agregar una actividad.
      </p>
      {selected && (
        <ActivityForm
          key={selected.id}
          activity={selected}
          index={timeline.indexOf(selected)}
          path={path}
          fields={fields}
          onUpdate={(patch) => {
            onUpdate(selected.id, patch);
            if (patch.id !== undefined) setSelectedId(patch.id);
          }}
          onDelete={() => {
            onDelete(selected.id);
            setSelectedId(null);
          }}
        />
      )}
      {timeline.map((activity, index) => {
        const error = fieldError(fields, `${path}[${index}]`);
        return error && activity !== selected ? (
          <p key={activity.id} className="field-error" role="alert">
            {activity.id}: {error}
          </p>
        ) : null;
      })}
    </div>
  );
}

interface TimelineRowProps {
  channel: ActivityChannel;
  days: number[];
  timeline: readonly TimelineActivity[];
  selectedId: string | null;
  onSelect(activityId: string): void;
  onAdd(day: number): void;
}

function TimelineRow({ channel, days, timeline, selectedId, onSelect, onAdd }: TimelineRowProps) {
  const activities = timeline.filter((activity) => activity.channel === channel);
  const marks = new Map<number, Array<{ activity: TimelineActivity; repetition: number }>>();
  for (const activity of activities) {
    occurrenceOffsets(activity).forEach((offset, repetition) => {
      const list = marks.get(offset) ?? [];
      list.push({ activity, repetition });
      marks.set(offset, list);
    });
  }

  return (
    <>
      <div role="rowheader" className="timeline-channel">
        {CHANNEL_NAMES[channel]}
      </div>
      {days.map((day) => {
        const here = marks.get(day) ?? [];
        return (
          <div key={day} role="gridcell" className="timeline-cell" data-channel={channel} data-day={day}>
            {here.map(({ activity, repetition }) => (
              <button
                key={`${activity.id}-${repetition}`}
                type="button"
                className={[
                  'timeline-mark',
                  `mark-${channel}`,
                  repetition > 0 ? 'mark-repeat' : '',
                  activity.id === selectedId ? 'mark-selected' : '',
                ].join(' ')}
                data-testid="timeline-activity"
                data-activity-id={activity.id}
                title={`${CHANNEL_NAMES[channel]} «${activity.id}», día ${day} ${ANCHOR_NAMES[activity.anchor]}${repetition > 0 ? ` (repetición ${repetition})` : ''}`}
                onClick={() => onSelect(activity.id)}
              >
                {activity.anchor === 'due-date' ? 'V' : 'A'}
              </button>
            ))}
            {here.length === 0 && (
              <button type="button" className="timeline-add" aria-label={`Agregar ${CHANNEL_NAMES[channel]} el día ${day}`} data-testid="timeline-add" onClick={() => onAdd(day)}>
                +
              </button>
            )}
          </div>
        );
      })}
    </>
  );
}

interface ActivityFormProps {
  activity: TimelineActivity;
  index: number;
  path: string;
  fields: Record<string, string>;
  onUpdate(patch: Partial<TimelineActivity>): void;
  onDelete(): void;
}

function ActivityForm({ activity, index, path, fields, onUpdate, onDelete }: ActivityFormProps) {
  const at = `${path}[${index}]`;
  const [offsetText, setOffsetText] = useState(String(activity.dayOffset));
  const [everyText, setEveryText] = useState(String(activity.repeat?.everyDays ?? 7));
  const [timesText, setTimesText] = useState(String(activity.repeat?.times ?? 1));
  const repeat = activity.repeat ?? null;

  return (
    <fieldset className="activity-form" data-testid="activity-form">
      <legend>
        Actividad «{activity.id}» ({CHANNEL_NAMES[activity.channel]})
      </legend>
      <label>
        Identificador
        <input value={activity.id} onChange={(event) => onUpdate({ id: event.target.value })} />
        <FieldError text={fields[`${at}.id`]} />
      </label>
      <label>
        Canal
        <select value={activity.channel} onChange={(event) => onUpdate({ channel: event.target.value as ActivityChannel })}>
          {TIMELINE_CHANNELS.map((channel) => (
            <option key={channel} value={channel}>
              {CHANNEL_NAMES[channel]}
            </option>
          ))}
        </select>
      </label>
      <label>
        Día
        <input
          inputMode="numeric"
          data-testid="activity-day"
          value={offsetText}
          onChange={(event) => {
            setOffsetText(event.target.value);
            const day = parseWholeNumber(event.target.value);
            if (day !== null) onUpdate({ dayOffset: day });
          }}
        />
        <FieldError text={fields[`${at}.dayOffset`] ?? (parseWholeNumber(offsetText) === null ? 'Escriba un número entero de días.' : undefined)} />
      </label>
      <label>
        Contado
        <select value={activity.anchor} onChange={(event) => onUpdate({ anchor: event.target.value as TimelineActivity['anchor'] })}>
          <option value="assignment">{ANCHOR_NAMES.assignment}</option>
          <option value="due-date">{ANCHOR_NAMES['due-date']}</option>
        </select>
      </label>
      <label className="inline-field">
        <input
          type="checkbox"
          checked={repeat !== null}
          onChange={(event) => onUpdate({ repeat: event.target.checked ? { everyDays: parseWholeNumber(everyText) ?? 7, times: parseWholeNumber(timesText) ?? 1 } : null })}
        />
        Repetir
      </label>
      {repeat && (
        <span className="repeat-fields">
          cada
          <input
            aria-label="Cada cuántos días"
            inputMode="numeric"
            value={everyText}
            onChange={(event) => {
              setEveryText(event.target.value);
              const every = parseWholeNumber(event.target.value);
              if (every !== null) onUpdate({ repeat: { ...repeat, everyDays: every } });
            }}
          />
          días, hasta
          <input
            aria-label="Cuántas repeticiones"
            inputMode="numeric"
            value={timesText}
            onChange={(event) => {
              setTimesText(event.target.value);
              const times = parseWholeNumber(event.target.value);
              if (times !== null) onUpdate({ repeat: { ...repeat, times } });
            }}
          />
          veces más
          <FieldError text={fieldError(fields, `${at}.repeat`) ?? undefined} />
        </span>
      )}
      <fieldset className="stop-on">
        <legend>Se detiene con</legend>
        {STOP_KINDS.map((kind) => (
          <label key={kind} className="inline-field">
            <input
              type="checkbox"
              checked={activity.stopOn.includes(kind)}
              onChange={(event) => onUpdate({ stopOn: event.target.checked ? [...activity.stopOn, kind] : activity.stopOn.filter((stop) => stop !== kind) })}
            />
            {STOP_NAMES[kind]}
          </label>
        ))}
      </fieldset>
      <button type="button" className="danger-button" onClick={onDelete}>
        Eliminar actividad
      </button>
    </fieldset>
  );
}

function FieldError({ text }: { text: string | undefined }) {
  return text ? (
    <span className="field-error" role="alert">
      {text}
    </span>
  ) : null;
}
