import { createHash } from 'node:crypto';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  GENESIS_HASH,
  canonicalJson,
  chainHashInput,
  chainedRecordOf,
  linkRecord,
  verifyChain,
  type ChainHead,
  type ChainedRecord,
  type Hasher,
} from './evidence-chain.ts';

const sha256: Hasher = (text) => createHash('sha256').update(text, 'utf8').digest('hex');

/** Builds an honest chain over the contents, the way a writer appends them one by one. */
function buildChain(contents: readonly unknown[], after: ChainHead | null = null): ChainedRecord[] {
  const records: ChainedRecord[] = [];
  let head = after;
  for (const content of contents) {
    const link = linkRecord(content, head, sha256);
    records.push({ ...link, content });
    head = { index: link.index, hash: link.hash };
  }
  return records;
}

function decisionContent(n: number) {
  return { decisionId: `d-${n}`, debtorId: 'deudor-1', decision: { allowed: n % 2 === 0, rules: n % 2 === 0 ? [] : ['R5'] }, clockOffsetMs: n * 10 };
}

/** Recomputes a record's hash after a change, as a tamperer with the hashing rules would. */
function rehash(record: ChainedRecord): ChainedRecord {
  return { ...record, hash: sha256(chainHashInput(record.index, record.prevHash, record.content)) };
}

describe('canonicalJson', () => {
  it.each([
    { case: 'sorts keys', value: { b: 1, a: 2 }, text: '{"a":2,"b":1}' },
    { case: 'sorts nested keys and keeps array order', value: { z: [{ y: 1, x: 2 }, 3], a: null }, text: '{"a":null,"z":[{"x":2,"y":1},3]}' },
    { case: 'drops undefined members', value: { a: undefined, b: 1 }, text: '{"b":1}' },
    { case: 'writes -0 as 0', value: { n: -0 }, text: '{"n":0}' },
    { case: 'keeps accents and ñ unescaped', value: { nombre: 'María Peña Báez' }, text: '{"nombre":"María Peña Báez"}' },
    { case: 'escapes quotes and control characters', value: ['a"b\n'], text: '["a\\"b\\n"]' },
    { case: 'sorts keys by code unit, capitals first', value: { b: 1, B: 2, á: 3 }, text: '{"B":2,"b":1,"á":3}' },
    { case: 'writes a plain value', value: 'texto', text: '"texto"' },
  ])('$case', ({ value, text }) => {
    expect(canonicalJson(value)).toBe(text);
  });

  it.each([
    { case: 'NaN', value: { a: { b: Number.NaN } }, path: '$.a.b' },
    { case: 'Infinity', value: [Number.POSITIVE_INFINITY], path: '$[0]' },
    { case: 'a bigint', value: { n: 1n }, path: '$.n' },
    { case: 'a function', value: { f: () => 1 }, path: '$.f' },
    { case: 'undefined in an array', value: [1, undefined], path: '$[1]' },
    { case: 'a Date', value: { at: new Date(0) }, path: '$.at' },
    { case: 'a Map', value: { m: new Map() }, path: '$.m' },
  ])('rejects $case, naming the path', ({ value, path }) => {
    expect(() => canonicalJson(value)).toThrow(TypeError);
    expect(() => canonicalJson(value)).toThrow(path);
  });

  it('rejects a cycle', () => {
    const value: Record<string, unknown> = { a: 1 };
    value.self = value;
    expect(() => canonicalJson(value)).toThrow(/cycle/);
  });

  it('accepts a shared object twice', () => {
    const shared = { x: 1 };
    expect(canonicalJson({ a: shared, b: shared })).toBe('{"a":{"x":1},"b":{"x":1}}');
  });

  it('matches JSON.parse round trips and ignores key order', () => {
    fc.assert(
      fc.property(fc.jsonValue(), (value) => {
        const text = canonicalJson(value);
        expect(canonicalJson(JSON.parse(text))).toBe(text);
        expect(canonicalJson(reverseKeys(value))).toBe(text);
      }),
    );
  });
});

function reverseKeys(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(reverseKeys);
  if (value !== null && typeof value === 'object') {
    return Object.fromEntries(Object.entries(value).reverse().map(([key, member]) => [key, reverseKeys(member)]));
  }
  return value;
}

describe('linkRecord', () => {
  it('starts a chain at index 1 after 64 zeros', () => {
    const link = linkRecord({ a: 1 }, null, sha256);
    expect(link.index).toBe(1);
    expect(link.prevHash).toBe(GENESIS_HASH);
    expect(GENESIS_HASH).toMatch(/^0{64}$/);
  });

  it('hashes the documented serialisation', () => {
    const link = linkRecord({ b: 'ñ', a: 1 }, null, sha256);
    const input = `{"content":{"a":1,"b":"ñ"},"index":1,"prevHash":"${'0'.repeat(64)}"}`;
    expect(chainHashInput(1, GENESIS_HASH, { b: 'ñ', a: 1 })).toBe(input);
    expect(link.hash).toBe(createHash('sha256').update(Buffer.from(input, 'utf8')).digest('hex'));
  });

  it('follows the head it is given', () => {
    const link = linkRecord({ a: 1 }, { index: 41, hash: 'ab'.repeat(32) }, sha256);
    expect(link.index).toBe(42);
    expect(link.prevHash).toBe('ab'.repeat(32));
  });
});

describe('verifyChain', () => {
  const chain = buildChain([1, 2, 3, 4, 5, 6].map(decisionContent));
  const last = chain.at(-1)!;
  const lastHead = { index: last.index, hash: last.hash };

  it('accepts an honest chain and returns its head', () => {
    expect(verifyChain(chain, sha256)).toEqual({ ok: true, count: 6, head: lastHead });
    expect(verifyChain(chain, sha256, { expectedHead: lastHead })).toEqual({ ok: true, count: 6, head: lastHead });
  });

  it('accepts an empty chain', () => {
    expect(verifyChain([], sha256)).toEqual({ ok: true, count: 0, head: null });
  });

  it('accepts a reported head older than the chain', () => {
    const third = chain[2]!;
    expect(verifyChain(chain, sha256, { expectedHead: { index: 3, hash: third.hash } }).ok).toBe(true);
  });

  function tampered(change: (records: ChainedRecord[]) => ChainedRecord[]): ChainedRecord[] {
    return change(chain.map((record) => ({ ...record })));
  }

  it.each([
    {
      case: 'a field edited',
      records: () => tampered((records) => {
        records[2] = { ...records[2]!, content: { ...decisionContent(3), debtorId: 'otro' } };
        return records;
      }),
      kind: 'edited',
      index: 3,
    },
    {
      case: 'a field edited and the record re-hashed',
      records: () => tampered((records) => {
        records[2] = rehash({ ...records[2]!, content: { ...decisionContent(3), clockOffsetMs: 0 } });
        return records;
      }),
      kind: 'broken-link',
      index: 4,
    },
    { case: 'a record deleted', records: () => tampered((records) => records.filter((record) => record.index !== 3)), kind: 'missing', index: 3 },
    { case: 'the first record deleted', records: () => tampered((records) => records.slice(1)), kind: 'missing', index: 1 },
    {
      case: 'two records swapped',
      records: () => tampered((records) => [records[0]!, records[2]!, records[1]!, ...records.slice(3)]),
      kind: 'reordered',
      index: 2,
    },
    {
      case: 'two records swapped with their indexes',
      records: () => tampered((records) => [records[0]!, { ...records[2]!, index: 2 }, { ...records[1]!, index: 3 }, ...records.slice(3)]),
      kind: 'edited',
      index: 2,
    },
    {
      case: 'a prevHash changed',
      records: () => tampered((records) => {
        records[3] = { ...records[3]!, prevHash: 'f'.repeat(64) };
        return records;
      }),
      kind: 'edited',
      index: 4,
    },
    {
      case: 'a prevHash changed and the record re-hashed',
      records: () => tampered((records) => {
        records[3] = rehash({ ...records[3]!, prevHash: 'f'.repeat(64) });
        return records;
      }),
      kind: 'broken-link',
      index: 4,
    },
    { case: 'a record repeated', records: () => tampered((records) => [...records.slice(0, 3), records[2]!, ...records.slice(3)]), kind: 'duplicate', index: 3 },
    {
      case: 'an index that is not a positive integer',
      records: () => tampered((records) => {
        records[1] = { ...records[1]!, index: 1.5 };
        return records;
      }),
      kind: 'malformed',
      index: 2,
    },
    {
      case: 'a hash in upper case',
      records: () => tampered((records) => {
        records[4] = { ...records[4]!, hash: records[4]!.hash.toUpperCase() };
        return records;
      }),
      kind: 'malformed',
      index: 5,
    },
  ])('detects $case at index $index', ({ records, kind, index }) => {
    const result = verifyChain(records(), sha256);
    expect(result.ok).toBe(false);
    if (result.ok) return;
    expect(result.problem.kind).toBe(kind);
    expect(result.problem.index).toBe(index);
    expect(result.problem.message).toContain(String(index));
  });

  it('detects deleted last records only against the reported head', () => {
    const truncated = chain.slice(0, 4);
    expect(verifyChain(truncated, sha256).ok).toBe(true);

    const result = verifyChain(truncated, sha256, { expectedHead: lastHead });
    expect(result).toEqual({
      ok: false,
      problem: { kind: 'missing', index: 5, message: 'Faltan los registros 5 a 6 al final de la cadena de decisiones: fueron borrados o no llegaron.' },
    });
  });

  it('detects a chain that disagrees with the reported head', () => {
    const result = verifyChain(chain, sha256, { expectedHead: { index: 6, hash: 'e'.repeat(64) } });
    expect(result.ok ? null : result.problem).toMatchObject({ kind: 'broken-link', index: 6 });
  });

  it('verifies the tail of a chain from the link before it', () => {
    const tail = chain.slice(3);
    const before = { index: chain[2]!.index, hash: chain[2]!.hash };
    expect(verifyChain(tail, sha256, { after: before })).toEqual({ ok: true, count: 3, head: lastHead });
    expect(verifyChain(tail, sha256)).toMatchObject({ ok: false, problem: { kind: 'missing', index: 1 } });
    expect(verifyChain(tail, sha256, { after: { index: 3, hash: 'a'.repeat(64) } })).toMatchObject({ ok: false, problem: { kind: 'broken-link', index: 4 } });
  });

  it('finds any single edit, deletion or swap at its index', () => {
    fc.assert(
      fc.property(
        fc.array(fc.jsonValue(), { minLength: 3, maxLength: 12 }),
        fc.nat(),
        fc.constantFrom('edit', 'delete', 'swap'),
        (contents, pick, tampering) => {
          const records = buildChain(contents);
          const position = pick % (records.length - 1);
          const target = records[position]!;
          let changed: ChainedRecord[];
          switch (tampering) {
            case 'edit':
              changed = records.map((record, at) => (at === position ? { ...record, content: { edited: record.content } } : record));
              break;
            case 'delete':
              changed = records.filter((_record, at) => at !== position);
              break;
            case 'swap':
              changed = [...records.slice(0, position), records[position + 1]!, target, ...records.slice(position + 2)];
              break;
          }

          const result = verifyChain(changed, sha256);
          const expectedKind = { edit: 'edited', delete: 'missing', swap: 'reordered' }[tampering];
          expect(result).toMatchObject({ ok: false, problem: { kind: expectedKind, index: target.index } });
        },
      ),
    );
  });
});

describe('chainedRecordOf', () => {
  it('splits the link from the content', () => {
    const link = linkRecord({ decisionId: 'd-1' }, null, sha256);
    expect(chainedRecordOf({ decisionId: 'd-1', chain: link })).toEqual({ ...link, content: { decisionId: 'd-1' } });
    expect(verifyChain([chainedRecordOf({ decisionId: 'd-1', chain: link })!], sha256).ok).toBe(true);
  });

  it('returns null for a payload without a link', () => {
    expect(chainedRecordOf({ decisionId: 'd-1' })).toBeNull();
  });
});
