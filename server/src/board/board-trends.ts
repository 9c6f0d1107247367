/**
 * `GET /api/board/trends?range=today|30d`: contacts, right-party contacts and promises per hour of
 * today or per day of the last 30 days, Bogotá time, for the agents the user sees. Grouped by UTC
 * hour in SQL (the first 13 characters of the stored instant), then folded into Bogotá hours or
 * days here: Bogotá is UTC−5 all year, so every UTC hour falls in one Bogotá hour.
 */
import type { BoardTrendPoint, BoardTrendRange, BoardTrends } from '@gestiona/core/board';
import { BOGOTA_ZONE } from '@gestiona/core/format';
import { DateTime } from 'luxon';
import type { SqlConnection } from '../store/sql.ts';
import { LED_AGENT_IDS_SQL } from '../store/teams.ts';
import type { InstantRange } from './board-queries.ts';

/** Hours of today always on the chart, so the working day keeps its shape before the first contact. */
const FIRST_HOUR = 6;
const LAST_HOUR = 20;
const TREND_DAYS = 30;

export interface TrendRow {
  /** UTC hour, `YYYY-MM-DDTHH`. */
  hour: string;
  contacts: number;
  rightPartyContacts: number;
  promises: number;
}

/** The instants a range covers: today, or today and the 29 days before, in Bogotá. */
export function trendRange(range: BoardTrendRange, now: Date): { date: string; instants: InstantRange; start: DateTime } {
  const today = DateTime.fromJSDate(now).setZone(BOGOTA_ZONE).startOf('day');
  const start = range === 'today' ? today : today.minus({ days: TREND_DAYS - 1 });
  return { date: today.toISODate()!, instants: { start: start.toUTC().toISO()!, end: today.plus({ days: 1 }).toUTC().toISO()! }, start };
}

export async function readTrendRows(sql: SqlConnection, instants: InstantRange, promiseCodes: readonly string[], ledBy: string | undefined): Promise<TrendRow[]> {
  const promiseCase = promiseCodes.length === 0 ? '0' : `CASE WHEN code IN (${promiseCodes.map(() => '?').join(', ')}) THEN 1 ELSE 0 END`;
  const scope = ledBy === undefined ? '' : ` AND agent_id IN (${LED_AGENT_IDS_SQL})`;
  const rows = await sql.all<{ hour: string; contacts: number; two_way: number; promises: number }>(
    `SELECT substr(dialed_at, 1, 13) AS hour, COUNT(*) AS contacts,
            SUM(CASE WHEN kind = 'two-way' THEN 1 ELSE 0 END) AS two_way, SUM(${promiseCase}) AS promises
     FROM interactions WHERE dialed_at >= ? AND dialed_at < ?${scope}
     GROUP BY substr(dialed_at, 1, 13)`,
    [...promiseCodes, instants.start, instants.end, ...(ledBy === undefined ? [] : [ledBy])],
  );
  return rows.map((row) => ({
    hour: row.hour,
    contacts: Number(row.contacts),
    rightPartyContacts: Number(row.two_way ?? 0),
    promises: Number(row.promises ?? 0),
  }));
}

/** Folds UTC-hour rows into the points of the range: every hour from 06:00 to 20:00 of today, or every one of the 30 days. */
export function buildTrends(range: BoardTrendRange, rows: readonly TrendRow[], now: Date): BoardTrends {
  const { date, start } = trendRange(range, now);
  const points = new Map<string, BoardTrendPoint>();
  const point = (key: string, label: string): BoardTrendPoint => {
    let found = points.get(key);
    if (!found) {
      found = { key, label, contacts: 0, rightPartyContacts: 0, promises: 0 };
      points.set(key, found);
    }
    return found;
  };

  if (range === 'today') {
    for (let hour = FIRST_HOUR; hour <= LAST_HOUR; hour++) point(hourKey(hour), `${hourKey(hour)}:00`);
  } else {
    for (let day = 0; day < TREND_DAYS; day++) {
      const at = start.plus({ days: day });
      point(at.toISODate()!, at.toFormat('dd/MM'));
    }
  }

  for (const row of rows) {
    const at = DateTime.fromISO(`${row.hour}:00:00.000Z`).setZone(BOGOTA_ZONE);
    if (!at.isValid) continue;
    const target = range === 'today' ? point(hourKey(at.hour), `${hourKey(at.hour)}:00`) : point(at.toISODate()!, at.toFormat('dd/MM'));
    target.contacts += row.contacts;
    target.rightPartyContacts += row.rightPartyContacts;
    target.promises += row.promises;
  }

  return { range, date, points: [...points.values()].sort((a, b) => a.key.localeCompare(b.key)) };
}

const hourKey = (hour: number): string => String(hour).padStart(2, '0');
