/**
 * Checks each stored decision against the chain of decisions its workstation sent before, inside
 * the ingest transaction. A problem raises an alarm, and the event is stored anyway, because
 * evidence is never dropped.
 */
import { createHash } from 'node:crypto';
import { GENESIS_HASH, chainHashInput, chainedRecordOf, type Hasher } from '@gestiona/core/evidence-chain';
import type { SyncEvent } from '@gestiona/core/sync';
import type { Logger } from '../logger.ts';
import type { Tables } from './tables.ts';
import type { AlarmKind, StoredDecisionLink } from './types.ts';

export const sha256Hex: Hasher = (text) => createHash('sha256').update(text, 'utf8').digest('hex');

type DecisionEvent = Extract<SyncEvent, { type: 'decision.recorded' }>;

/** One chain problem found for one decision. `index` is the chain index the problem is about. */
export interface ChainFinding {
  kind: Extract<AlarmKind, 'chain-gap' | 'chain-broken' | 'chain-edited'>;
  problem: 'missing' | 'edited' | 'broken-link' | 'replayed' | 'late' | 'unchained';
  index: number | null;
  message: string;
}

/**
 * Returns the chain problems of `event` given the head stored before it. It takes the head and an
 * index lookup (`hasIndex`) instead of the tables, so that the rules can be tested without a database.
 */
export async function findChainProblems(
  event: DecisionEvent,
  head: StoredDecisionLink | null,
  hasIndex: (index: number) => Promise<boolean>,
  hasher: Hasher = sha256Hex,
): Promise<ChainFinding[]> {
  const record = chainedRecordOf(event.payload);
  if (record === null) {
    if (head === null) return [];
    return [
      {
        kind: 'chain-broken',
        problem: 'unchained',
        index: null,
        message: `La estación envió una decisión sin enlace de cadena después de la decisión encadenada ${head.index}: la cadena se interrumpió.`,
      },
    ];
  }

  const findings: ChainFinding[] = [];
  const expectedIndex = head === null ? 1 : head.index + 1;

  if (record.index < expectedIndex) {
    // A lower index either fills a gap found earlier (it arrived late or was reordered) or repeats one already stored.
    const replayed = await hasIndex(record.index);
    findings.push({
      kind: 'chain-broken',
      problem: replayed ? 'replayed' : 'late',
      index: record.index,
      message: replayed
        ? `El registro ${record.index} de la cadena de decisiones llegó otra vez con otra decisión: fue repetido o reemplazado.`
        : `El registro ${record.index} de la cadena de decisiones llegó después del registro ${head?.index ?? 0}: la cadena fue reordenada.`,
    });
  } else if (record.index > expectedIndex) {
    const last = record.index - 1;
    findings.push({
      kind: 'chain-gap',
      problem: 'missing',
      index: expectedIndex,
      message:
        last === expectedIndex
          ? `Falta el registro ${expectedIndex} de la cadena de decisiones: fue borrado o no llegó.`
          : `Faltan los registros ${expectedIndex} a ${last} de la cadena de decisiones: fueron borrados o no llegaron.`,
    });
  }

  // NOTE: the content hashed here is the payload as the server's sync schema parsed it. A newer
  // workstation that sends fields this server does not know would see every decision reported as edited.
  if (hasher(chainHashInput(record.index, record.prevHash, record.content)) !== record.hash) {
    findings.push({
      kind: 'chain-edited',
      problem: 'edited',
      index: record.index,
      message: `El registro ${record.index} de la cadena de decisiones fue modificado: su hash no corresponde a su contenido.`,
    });
  } else if (record.index === expectedIndex) {
    const previousHash = head === null ? GENESIS_HASH : head.hash;
    if (record.prevHash !== previousHash) {
      findings.push({
        kind: 'chain-broken',
        problem: 'broken-link',
        index: record.index,
        message: `El registro ${record.index} de la cadena de decisiones no enlaza con el registro ${record.index - 1}: uno de los dos fue modificado o reemplazado.`,
      });
    }
  }
  return findings;
}

/** Checks a stored decision against its workstation's chain, records its link and raises an alarm per problem. */
export async function checkDecisionChain(tables: Tables, event: DecisionEvent, receivedAt: Date, logger?: Logger): Promise<ChainFinding[]> {
  const head = await tables.decisionLinks.head(event.workstationId);
  const findings = await findChainProblems(event, head, (index) => tables.decisionLinks.hasIndex(event.workstationId, index));

  const chain = event.payload.chain;
  if (chain !== undefined) {
    await tables.decisionLinks.insert({
      eventId: event.id,
      workstationId: event.workstationId,
      workstationSeq: event.seq,
      decisionId: event.payload.decisionId,
      index: chain.index,
      prevHash: chain.prevHash,
      hash: chain.hash,
      receivedAt: receivedAt.toISOString(),
    });
  }

  for (const finding of findings) {
    await tables.alarms.insert({
      kind: finding.kind,
      workstationId: event.workstationId,
      agentId: event.agentId,
      debtorId: event.payload.debtorId,
      eventId: event.id,
      decisionId: event.payload.decisionId,
      detail: { problem: finding.problem, index: finding.index, seq: event.seq, headIndex: head?.index ?? null },
      message: `Estación ${event.workstationId}: ${finding.message}`,
      createdAt: receivedAt,
    });
    logger?.warn({ eventId: event.id, workstationId: event.workstationId, kind: finding.kind, index: finding.index }, 'check decision chain: alarm raised');
  }
  return findings;
}
