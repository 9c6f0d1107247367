/**
 * Hostile content for the loaders the server and the workstation share: the rule-pack parser, the
 * script schema and checker, and the catalog schema with the typification field check. The shipped
 * files under resources/ are changed at one or two random places. Every result must be a parsed
 * value or a Spanish error naming the field, never an unexpected exception.
 */
import { readFileSync } from 'node:fs';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { catalogSchema, validateTypificationFields, typificationFieldsSchema } from './catalog.ts';
import { evaluateGate } from './compliance/gate.ts';
import { parseRulePack } from './compliance/rule-pack.ts';
import { AppError } from './result.ts';
import { checkScript, scriptSchema } from './script.ts';

const RESOURCES = new URL('../../resources/', import.meta.url);

function resource(name: string): unknown {
  return JSON.parse(readFileSync(new URL(name, RESOURCES), 'utf8'));
}

const RULE_PACK = resource('rule-pack.json');
const CATALOG = resource('catalog.json');
const SCRIPT = resource('scripts/guion-temprana.json');

type Path = (string | number)[];

/** Lists every path to a value inside a JSON document, the root included. */
function pathsOf(value: unknown, prefix: Path = []): Path[] {
  const own = [prefix];
  if (Array.isArray(value)) return own.concat(...value.map((item, index) => pathsOf(item, [...prefix, index])));
  if (value !== null && typeof value === 'object') return own.concat(...Object.entries(value).map(([key, item]) => pathsOf(item, [...prefix, key])));
  return own;
}

const REMOVE = Symbol('remove');

/** Returns a deep copy of `document` with the value at `path` replaced, or removed when `replacement` is `REMOVE`. */
function changeAt(document: unknown, path: Path, replacement: unknown): unknown {
  if (path.length === 0) return replacement === REMOVE ? undefined : replacement;
  const copy = structuredClone(document) as Record<string | number, unknown>;
  let parent = copy;
  for (const segment of path.slice(0, -1)) parent = parent[segment] as Record<string | number, unknown>;
  const last = path.at(-1)!;
  if (replacement === REMOVE) {
    if (Array.isArray(parent)) parent.splice(last as number, 1);
    else delete parent[last];
  } else {
    Object.defineProperty(parent, last, { value: replacement, enumerable: true, configurable: true, writable: true });
  }
  return copy;
}

const hostileValue: fc.Arbitrary<unknown> = fc.oneof(
  fc.jsonValue(),
  fc.constantFrom<unknown>(REMOVE, null, '', -1, 0, 1e308, Number.NaN, 'x'.repeat(100_000), '2026-02-30', '{{saldo}}', '<img src=x onerror=alert(1)>', [], {}, 10n),
  fc.anything({ withBigInt: true, withNullPrototype: true, withDate: true }),
);

/** Random changes of a document at one of its paths, or a second one at the same time. */
function mutations(document: unknown): fc.Arbitrary<unknown> {
  const paths = pathsOf(document);
  const change = fc.tuple(fc.constantFrom(...paths), hostileValue);
  return fc.array(change, { minLength: 1, maxLength: 2 }).map((changes) => {
    let result = document;
    for (const [path, value] of changes) {
      try {
        result = changeAt(result, path, value);
      } catch {
        // A first change may remove the parent of the second one's path; keep the first alone.
      }
    }
    return result;
  });
}

describe('parseRulePack with hostile packs', () => {
  it('returns a pack or a Spanish error naming the field', () => {
    fc.assert(
      fc.property(fc.oneof(mutations(RULE_PACK), hostileValue), (raw) => {
        let caught: unknown = null;
        try {
          parseRulePack(raw);
        } catch (error) {
          caught = error;
        }
        if (caught === null) return;

        expect(caught).toBeInstanceOf(AppError);
        const error = caught as AppError;
        expect(error.code).toBe('invalid-input');
        expect(error.message).toMatch(/^Paquete de reglas inválido: .+ Se conserva el paquete anterior/s);
        expect(Object.keys(error.fields ?? {}).length).toBeGreaterThan(0);
      }),
      { numRuns: 400 },
    );
  });

  it('gives a gate decision under every pack it accepts', () => {
    const instant = fc.date({ min: new Date('2025-01-01T00:00:00Z'), max: new Date('2028-12-31T23:59:59Z'), noInvalidDate: true }).map((date) => date.toISOString());
    fc.assert(
      fc.property(mutations(RULE_PACK), instant, (raw, at) => {
        let pack;
        try {
          pack = parseRulePack(raw);
        } catch {
          return;
        }
        const decision = evaluateGate({ at, channel: 'voice', party: 'debtor', authorized: true, history: [] }, pack);
        expect(decision.rulePackVersion).toBe(pack.version);
        expect(decision.allowed).toBe(decision.rules.length === 0);
      }),
      { numRuns: 300 },
    );
  });

  it('shows a received value that JSON cannot write', () => {
    expect(() => parseRulePack({ ...(RULE_PACK as object), lastDialMarginMinutes: 10n })).toThrow(/lastDialMarginMinutes debe ser un número/);
  });
});

describe('script schema and checker with hostile scripts', () => {
  it('parses or rejects, and checks what parses without throwing', () => {
    fc.assert(
      fc.property(mutations(SCRIPT), (raw) => {
        const parsed = scriptSchema.safeParse(raw);
        if (!parsed.success) {
          expect(parsed.error.issues.length).toBeGreaterThan(0);
          return;
        }
        const stepIds = new Set(parsed.data.steps.map((step) => step.id));
        for (const problem of checkScript(parsed.data)) {
          expect(stepIds.has(problem.stepId)).toBe(true);
          expect(problem.message.trim()).not.toBe('');
        }
      }),
      { numRuns: 400 },
    );
  });

  it('accepts the shipped script', () => {
    expect(checkScript(scriptSchema.parse(SCRIPT))).toEqual([]);
  });
});

describe('catalog schema with hostile catalogs', () => {
  const fields = fc.dictionary(fc.oneof(fc.string(), fc.constantFrom('amount', 'date', 'callbackAt', 'instalments', '__proto__', 'constructor')), hostileValue, { maxKeys: 4 });

  it('parses or rejects, and validates any typification fields against what parses', () => {
    fc.assert(
      fc.property(mutations(CATALOG), fields, (raw, entered) => {
        const parsed = catalogSchema.safeParse(raw);
        if (!parsed.success) return;

        const typed = typificationFieldsSchema.safeParse(entered);
        if (!typed.success) return;
        for (const code of parsed.data.codes) {
          for (const problem of validateTypificationFields(code, typed.data, '2026-12-04')) {
            expect(problem.message.trim()).not.toBe('');
          }
        }
      }),
      { numRuns: 200 },
    );
  });
});
