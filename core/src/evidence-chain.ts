/**
 * A hash chain over a log of records, so that an edited, deleted or reordered record shows up when
 * the chain is verified. The workstation chains every gate decision it makes; the server can run
 * the same verification over the `decision.recorded` events it received.
 *
 * Each record carries `index` (1, 2, … with no gaps), `prevHash` (the previous record's hash, or
 * `GENESIS_HASH` for the first record) and `hash`. The hash is SHA-256, in lower-case hex, over the
 * UTF-8 bytes of `canonicalJson({ content, index, prevHash })`. Because the index and the previous
 * hash are inside the hashed text, a record cannot be moved or relinked without changing its hash.
 *
 * Core does no I/O and ships no crypto, so every function that hashes takes the hasher as a
 * parameter. On Node: `(text) => createHash('sha256').update(text, 'utf8').digest('hex')`.
 */

/** `prevHash` of the first record of a chain: 64 zeros. */
export const GENESIS_HASH = '0'.repeat(64);

const HASH_PATTERN = /^[0-9a-f]{64}$/;

/** SHA-256 of the UTF-8 bytes of `text`, as 64 lower-case hex digits. */
export type Hasher = (text: string) => string;

/** The chain fields of one record. */
export interface ChainLink {
  index: number;
  prevHash: string;
  hash: string;
}

/** The last link of a chain: where the next record attaches. */
export interface ChainHead {
  index: number;
  hash: string;
}

/** One record of a chain: its link and the content the hash covers. */
export interface ChainedRecord<C = unknown> extends ChainLink {
  content: C;
}

/**
 * Serialises a JSON value to one fixed text, so that two parties hashing the same data get the same
 * bytes whatever the key order of their objects.
 *
 * Object keys are sorted by UTF-16 code units, the default order of `Array.prototype.sort`. Keys
 * whose value is `undefined` are left out, as `JSON.stringify` does, and arrays keep their order.
 * There is no whitespace. Strings, finite numbers, booleans and null are written as
 * `JSON.stringify` writes them, so `-0` becomes `0`. Throws a `TypeError` naming the path for
 * anything JSON has no single text for: NaN, Infinity, bigint, functions, symbols, `undefined`
 * inside an array, class instances such as Date, and cycles.
 */
export function canonicalJson(value: unknown): string {
  return writeCanonical(value, '$', new Set());
}

function writeCanonical(value: unknown, path: string, ancestors: Set<object>): string {
  if (value === null) return 'null';

  switch (typeof value) {
    case 'string':
      return JSON.stringify(value);
    case 'boolean':
      return value ? 'true' : 'false';
    case 'number':
      if (!Number.isFinite(value)) throw new TypeError(`canonicalJson: ${path} is ${value}, which JSON cannot represent`);
      return JSON.stringify(value);
    case 'object':
      return writeCanonicalObject(value, path, ancestors);
    default:
      throw new TypeError(`canonicalJson: ${path} is a ${typeof value}, which JSON cannot represent`);
  }
}

function writeCanonicalObject(value: object, path: string, ancestors: Set<object>): string {
  if (ancestors.has(value)) throw new TypeError(`canonicalJson: ${path} refers back to one of its parents (a cycle)`);
  ancestors.add(value);
  try {
    if (Array.isArray(value)) {
      const items = value.map((item: unknown, index) => {
        if (item === undefined) throw new TypeError(`canonicalJson: ${path}[${index}] is undefined, which JSON cannot represent`);
        return writeCanonical(item, `${path}[${index}]`, ancestors);
      });
      return `[${items.join(',')}]`;
    }

    const prototype: unknown = Object.getPrototypeOf(value);
    if (prototype !== Object.prototype && prototype !== null) {
      throw new TypeError(`canonicalJson: ${path} is not a plain object; convert it to JSON data first`);
    }
    const entries = Object.entries(value)
      .filter(([, member]) => member !== undefined)
      .sort(([a], [b]) => compareCodeUnits(a, b));
    const members = entries.map(([key, member]) => `${JSON.stringify(key)}:${writeCanonical(member, `${path}.${key}`, ancestors)}`);
    return `{${members.join(',')}}`;
  } finally {
    ancestors.delete(value);
  }
}

function compareCodeUnits(a: string, b: string): number {
  if (a < b) return -1;
  if (a > b) return 1;
  return 0;
}

/** Returns the text whose hash is the record's `hash`. */
export function chainHashInput(index: number, prevHash: string, content: unknown): string {
  return canonicalJson({ content, index, prevHash });
}

/** Builds the link of a new record that follows `head` (null for the first record of a chain). */
export function linkRecord(content: unknown, head: ChainHead | null, hasher: Hasher): ChainLink {
  const index = head === null ? 1 : head.index + 1;
  const prevHash = head === null ? GENESIS_HASH : head.hash;
  return { index, prevHash, hash: hasher(chainHashInput(index, prevHash, content)) };
}

export type ChainProblemKind = 'missing' | 'reordered' | 'duplicate' | 'malformed' | 'edited' | 'broken-link';

/**
 * The first problem found in a chain. `index` is the record index at which it was found: the index
 * that is absent for `missing` and `reordered`, otherwise the index of the record that failed.
 */
export interface ChainProblem {
  kind: ChainProblemKind;
  index: number;
  /** Spanish (es-CO) text for the team lead's alarm. */
  message: string;
}

export type ChainVerification =
  | { ok: true; count: number; head: ChainHead | null }
  | { ok: false; problem: ChainProblem };

export interface VerifyChainOptions {
  /**
   * The link just before the first record given, when the records are the tail of a longer chain.
   * Without it the first record must be index 1 with `GENESIS_HASH` as its `prevHash`.
   */
  after?: ChainHead;
  /**
   * The head the writer reported (the workstation sends its own in `state:report`). The record at
   * its index must carry its hash. Records missing at the end of the chain are found only with it,
   * because no later record points back to them.
   */
  expectedHead?: ChainHead;
}

/**
 * Checks a chain in the order given and reports the first problem:
 *
 * - `missing`: an index is absent (a record was deleted, or never arrived), including records at
 *   the end when `expectedHead` is longer than the chain.
 * - `reordered`: an index comes later in the list than it should.
 * - `duplicate`: an index appears twice.
 * - `malformed`: an index that is not a positive integer, or a hash that is not 64 hex digits.
 * - `edited`: the hash does not match the record's content, index and `prevHash`, so one of them
 *   changed after the record was chained.
 * - `broken-link`: the record's `prevHash` is not the hash of the record before it. Either record
 *   may be the altered one: a record edited and re-hashed breaks the link of the next record. Also
 *   reported when the record at `expectedHead`'s index carries another hash.
 *
 * A writer that re-hashes every record after the one it altered produces a valid chain. Only a copy
 * of an earlier head (the server's events, a reported `expectedHead`) exposes that.
 */
export function verifyChain(records: readonly ChainedRecord[], hasher: Hasher, options: VerifyChainOptions = {}): ChainVerification {
  const start: ChainHead = options.after ?? { index: 0, hash: GENESIS_HASH };
  const positions = new Map<number, number>();
  records.forEach((record, position) => {
    if (!positions.has(record.index)) positions.set(record.index, position);
  });

  let previous = start;
  const hashes = new Map<number, string>();
  for (const [position, record] of records.entries()) {
    const found = recordProblem(record, position, previous, positions, hasher);
    if (found) return { ok: false, problem: found };
    previous = { index: record.index, hash: record.hash };
    hashes.set(record.index, record.hash);
  }

  const expected = options.expectedHead;
  if (expected && expected.index > previous.index) {
    const first = previous.index + 1;
    const message =
      first === expected.index
        ? `Falta el registro ${first} al final de la cadena de decisiones: fue borrado o no llegó.`
        : `Faltan los registros ${first} a ${expected.index} al final de la cadena de decisiones: fueron borrados o no llegaron.`;
    return { ok: false, problem: { kind: 'missing', index: first, message } };
  }
  if (expected && expected.index > start.index && hashes.get(expected.index) !== expected.hash) {
    const message = `El registro ${expected.index} de la cadena de decisiones no coincide con el que informó la estación: fue modificado o reemplazado.`;
    return { ok: false, problem: { kind: 'broken-link', index: expected.index, message } };
  }

  return { ok: true, count: records.length, head: records.length === 0 ? (options.after ?? null) : previous };
}

/** Checks one record against the link before it; `positions` maps each index to its first position in the list. */
function recordProblem(
  record: ChainedRecord,
  position: number,
  previous: ChainHead,
  positions: ReadonlyMap<number, number>,
  hasher: Hasher,
): ChainProblem | null {
  const expectedIndex = previous.index + 1;

  if (!Number.isSafeInteger(record.index) || record.index < 1) {
    const message = `El registro en la posición ${position + 1} de la cadena de decisiones tiene un índice inválido (${String(record.index)}).`;
    return { kind: 'malformed', index: expectedIndex, message };
  }
  if (record.index < expectedIndex) {
    return { kind: 'duplicate', index: record.index, message: `El registro ${record.index} de la cadena de decisiones aparece más de una vez.` };
  }
  if (record.index > expectedIndex) {
    const laterPosition = positions.get(expectedIndex);
    if (laterPosition !== undefined && laterPosition > position) {
      return { kind: 'reordered', index: expectedIndex, message: `El registro ${expectedIndex} de la cadena de decisiones está fuera de orden.` };
    }
    return { kind: 'missing', index: expectedIndex, message: `Falta el registro ${expectedIndex} de la cadena de decisiones: fue borrado o no llegó.` };
  }

  if (!HASH_PATTERN.test(record.hash) || !HASH_PATTERN.test(record.prevHash)) {
    return { kind: 'malformed', index: record.index, message: `El registro ${record.index} de la cadena de decisiones tiene un hash con formato inválido.` };
  }
  if (hasher(chainHashInput(record.index, record.prevHash, record.content)) !== record.hash) {
    const message = `El registro ${record.index} de la cadena de decisiones fue modificado: su hash no corresponde a su contenido.`;
    return { kind: 'edited', index: record.index, message };
  }
  if (record.prevHash !== previous.hash) {
    const message = `El registro ${record.index} de la cadena de decisiones no enlaza con el registro ${previous.index}: uno de los dos fue modificado o reemplazado.`;
    return { kind: 'broken-link', index: record.index, message };
  }
  return null;
}

/**
 * Splits a payload that carries its link in a `chain` field (as `decision.recorded` does) into a
 * chained record. Returns null for a payload without a link, written before chaining existed.
 */
export function chainedRecordOf<P extends Record<string, unknown> & { chain?: ChainLink | undefined }>(payload: P): ChainedRecord<Omit<P, 'chain'>> | null {
  const { chain, ...content } = payload;
  if (chain === undefined) return null;
  return { index: chain.index, prevHash: chain.prevHash, hash: chain.hash, content };
}
