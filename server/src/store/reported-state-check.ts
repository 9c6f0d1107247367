/**
 * Alarms that a workstation's `state:report` reveals, raised in the transaction that stores the
 * report: a decision chain head behind the links the server stored, or unlike them (records deleted
 * or rewritten after they were pushed, an old copy of the database restored), and a clock jump that
 * the workstation detected. A workstation repeats the same report every few seconds, so each alarm
 * is raised once per distinct reported state.
 */
import { formatDateTime } from '@gestiona/core/format';
import { isoInstantSchema } from '@gestiona/core/domain';
import { z } from 'zod';
import type { Logger } from '../logger.ts';
import type { WorkstationState } from '../sync/workstation-state.ts';
import type { Tables } from './tables.ts';
import type { AlarmKind, StoredDecisionLink } from './types.ts';

export interface ReportedState {
  workstationId: string;
  /** The user of the socket that sent the report. */
  agentId: string;
  state: WorkstationState;
  reportedAt: Date;
}

/** One alarm a report reveals, before it is stored. `detail` is also the key that keeps it from being raised twice. */
export interface ReportFinding {
  kind: Extract<AlarmKind, 'chain-gap' | 'chain-edited' | 'clock'>;
  detail: Record<string, string | number | null>;
  message: string;
}

/** The chain head fields of the report; a workstation without them reports no head at all. */
const reportedHeadSchema = z.object({
  decisionChainIndex: z.number().int().nonnegative().nullable(),
  decisionChainHash: z
    .string()
    .regex(/^[0-9a-f]{64}$/)
    .nullable(),
});

const reportedJumpSchema = z.object({
  clockJumpAt: isoInstantSchema,
  clockJumpMs: z.number().finite().nullable().optional(),
});

/** Hex digits of a hash shown in alarm texts: enough to compare by eye, short enough to read. */
const SHOWN_HASH_DIGITS = 12;

export async function checkReportedState(tables: Tables, report: ReportedState, logger?: Logger): Promise<ReportFinding[]> {
  const findings: ReportFinding[] = [];

  const head = reportedHeadSchema.safeParse(report.state);
  if (head.success) {
    const reported = { index: head.data.decisionChainIndex ?? 0, hash: head.data.decisionChainHash };
    const serverHead = await tables.decisionLinks.headReceivedBefore(report.workstationId, report.reportedAt);
    const atReported =
      serverHead !== null && reported.index > 0 && reported.index <= serverHead.index
        ? await tables.decisionLinks.atIndexReceivedBefore(report.workstationId, reported.index, report.reportedAt)
        : [];
    const finding = findHeadProblem(report.workstationId, reported, serverHead, atReported);
    if (finding !== null) findings.push(finding);
  }

  const jump = reportedJumpSchema.safeParse(report.state);
  if (jump.success) findings.push(clockJumpFinding(report.workstationId, jump.data.clockJumpAt, jump.data.clockJumpMs ?? null));

  const raised: ReportFinding[] = [];
  for (const finding of findings) {
    if (await tables.alarms.hasSame(finding.kind, report.workstationId, finding.detail)) continue;
    const alarmId = await tables.alarms.insert({
      kind: finding.kind,
      workstationId: report.workstationId,
      agentId: report.agentId,
      debtorId: null,
      eventId: null,
      decisionId: null,
      detail: finding.detail,
      message: finding.message,
      createdAt: report.reportedAt,
    });
    logger?.warn({ alarmId, workstationId: report.workstationId, kind: finding.kind, problem: finding.detail.problem }, 'check state report: alarm raised');
    raised.push(finding);
  }
  return raised;
}

/**
 * Compares the head a workstation reports with the links the server stored for it. A head behind
 * the server's means records were deleted after they were pushed, or an older copy of the database
 * was restored. A head at an index the server has, with another hash, means a pushed record was
 * rewritten. A head ahead of the server's is normal: those decisions are not pushed yet.
 *
 * `reported.index` is 0 when the workstation reports no chained decision. `atReported` are the
 * server's links at `reported.index` (several after a replay); any of them matching is enough.
 */
export function findHeadProblem(
  workstationId: string,
  reported: { index: number; hash: string | null },
  serverHead: StoredDecisionLink | null,
  atReported: readonly StoredDecisionLink[],
): ReportFinding | null {
  if (serverHead === null || reported.index > serverHead.index) return null;

  const matches = reported.hash !== null && atReported.some((link) => link.hash === reported.hash);
  if (reported.index < serverHead.index) {
    const reportedText = reported.index === 0 ? 'ningún registro' : `el registro ${reported.index} (hash ${shortHash(reported.hash)})`;
    const removed =
      reported.index + 1 === serverHead.index ? `Se borró el registro ${serverHead.index}` : `Se borraron los registros ${reported.index + 1} a ${serverHead.index}`;
    const rewritten =
      reported.index > 0 && atReported.length > 0 && !matches
        ? ` Además, el servidor recibió el registro ${reported.index} con otro hash (${shortHash(atReported[0]!.hash)}): también fue reescrito.`
        : '';
    return {
      kind: 'chain-gap',
      detail: {
        problem: 'rewound',
        reportedIndex: reported.index,
        reportedHash: reported.hash,
        serverIndex: serverHead.index,
        serverHash: serverHead.hash,
      },
      message:
        `El registro de decisiones de la estación ${workstationId} retrocedió: la estación informa como último ${reportedText}, ` +
        `pero el servidor ya recibió hasta el registro ${serverHead.index} (hash ${shortHash(serverHead.hash)}). ` +
        `${removed} en la estación o se restauró una copia anterior de su base de datos.${rewritten} Revise la estación.`,
    };
  }

  if (atReported.length === 0 || matches) return null;
  return {
    kind: 'chain-edited',
    detail: { problem: 'rewritten', reportedIndex: reported.index, reportedHash: reported.hash, serverHash: atReported[0]!.hash },
    message:
      `El registro de decisiones de la estación ${workstationId} fue reescrito: su registro ${reported.index} tiene el hash ${shortHash(reported.hash)}, ` +
      `pero el servidor lo recibió con el hash ${shortHash(atReported[0]!.hash)}. Un registro ya enviado fue modificado o reemplazado. Revise la estación.`,
  };
}

export function clockJumpFinding(workstationId: string, jumpAt: string, jumpMs: number | null): ReportFinding {
  const change = jumpMs === null || jumpMs === 0 ? '' : ` (${jumpMs > 0 ? 'se adelantó' : 'se atrasó'} ${formatJump(jumpMs)})`;
  return {
    kind: 'clock',
    detail: { problem: 'jump', jumpAt, jumpMs },
    message:
      `El reloj de la estación ${workstationId} cambió de hora el ${formatDateTime(jumpAt)}${change}. ` +
      'La estación bloquea las marcaciones hasta medir de nuevo la hora del servidor. Revise la hora del equipo.',
  };
}

function shortHash(hash: string | null): string {
  return hash === null ? '(sin hash)' : `${hash.slice(0, SHOWN_HASH_DIGITS)}…`;
}

/** Formats a clock jump as "45 s", "12 min" or "3 h 5 min"; the sign is dropped. */
function formatJump(ms: number): string {
  const seconds = Math.round(Math.abs(ms) / 1000);
  if (seconds < 60) return `${seconds} s`;
  const minutes = Math.round(seconds / 60);
  if (minutes < 60) return `${minutes} min`;
  return minutes % 60 === 0 ? `${Math.floor(minutes / 60)} h` : `${Math.floor(minutes / 60)} h ${minutes % 60} min`;
}
