/**
 * Priority formulas: arithmetic over named debtor variables, written by administrators. They are
 * compiled by filtrex (a maintained expression language made for end-user formulas: no access to
 * JavaScript globals, prototypes or functions other than the ones listed below). This module never
 * evaluates JavaScript text itself.
 *
 * Language: numbers, `+ - * / ^ mod`, comparisons, `and or not`, `if … then … else …`,
 * `x in ("a", "b")`, and the functions abs, ceil, floor, log, log2, log10, max, min, round, sqrt,
 * exists, empty. Yes/no variables (`disputeOpen`) are conditions: `if disputeOpen then 5 else 0`. The regular-expression operator `~=` is disabled, because
 * a user-written pattern can take exponential time.
 */
import { compileExpression } from 'filtrex';
import { VARIABLES_BY_NAME, type DebtorVariables } from './variables.ts';

/** Maximum length of a formula, in characters. */
export const MAX_FORMULA_LENGTH = 500;

export const FORMULA_FUNCTIONS = ['abs', 'ceil', 'floor', 'log', 'log2', 'log10', 'max', 'min', 'round', 'sqrt', 'exists', 'empty'] as const;

const KEYWORDS = new Set(['and', 'or', 'not', 'in', 'of', 'if', 'then', 'else', 'mod']);

/** A formula problem, in Spanish, without the segment (the caller names it). */
export class FormulaError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'FormulaError';
  }
}

export type CompiledFormula = (variables: DebtorVariables) => number;

/**
 * Lists the variables a formula reads and the functions it calls. This only splits the text into
 * filtrex's own tokens (the patterns below are those of filtrex 3.1.0's lexer), and filtrex does the
 * parsing. A save can so name every unknown variable, even one in a branch that no sample reaches.
 */
export function formulaNames(text: string): { variables: string[]; functions: string[] } {
  const token = /\s+|[0-9]+(?:\.[0-9]+)?(?![0-9.])|[a-zA-Z$_][.a-zA-Z0-9$_]*|'(?:\\'|\\\\|[^'\\])*'|"(?:\\"|\\\\|[^"\\])*"|./gy;
  const variables = new Set<string>();
  const functions = new Set<string>();
  let match: RegExpExecArray | null;
  while ((match = token.exec(text)) !== null) {
    const value = match[0];
    if (/^[a-zA-Z$_]/.test(value)) {
      if (KEYWORDS.has(value)) continue;
      if (/^\s*\(/.test(text.slice(token.lastIndex))) functions.add(value);
      else variables.add(value);
    } else if (value.startsWith("'")) {
      variables.add(value.slice(1, -1).replace(/\\(['\\])/g, '$1'));
    }
  }
  return { variables: [...variables], functions: [...functions] };
}

/**
 * Compiles a formula after checking its length, its syntax, and that it names only known variables
 * and functions. Throws a `FormulaError` in Spanish. The compiled function returns NaN when the
 * formula gives no number for a debtor (for example `score * 2` for a debtor without a score).
 */
export function compileFormula(text: string): CompiledFormula {
  if (text.trim() === '') throw new FormulaError('la fórmula está vacía');
  if (text.length > MAX_FORMULA_LENGTH) throw new FormulaError(`la fórmula tiene ${text.length} caracteres; use como máximo ${MAX_FORMULA_LENGTH}`);

  const names = formulaNames(text);
  const unknownVariables = names.variables.filter((name) => !VARIABLES_BY_NAME.has(name));
  if (unknownVariables.length > 0) {
    const list = unknownVariables.map((name) => `"${name}"`).join(', ');
    throw new FormulaError(`la fórmula "${text}" usa ${unknownVariables.length === 1 ? 'la variable desconocida' : 'las variables desconocidas'} ${list}`);
  }
  const unknownFunctions = names.functions.filter((name) => !(FORMULA_FUNCTIONS as readonly string[]).includes(name));
  if (unknownFunctions.length > 0) {
    throw new FormulaError(`la fórmula "${text}" usa la función desconocida "${unknownFunctions[0]}"; las disponibles son ${FORMULA_FUNCTIONS.join(', ')}`);
  }
  if (text.includes('~=')) throw new FormulaError(`la fórmula "${text}" usa "~=", que no está permitido`);

  let compiled: (data: unknown) => unknown;
  try {
    compiled = compileExpression(text, {
      customProp: (name, _get, object) => {
        const variables = object as DebtorVariables;
        if (!Object.prototype.hasOwnProperty.call(variables, name) || !VARIABLES_BY_NAME.has(name)) throw new FormulaError(`variable desconocida "${name}"`);
        return variables[name];
      },
      operators: {
        '==': (a: unknown, b: unknown) => a === b,
        '!=': (a: unknown, b: unknown) => a !== b,
        '~=': () => {
          throw new FormulaError('"~=" no está permitido');
        },
      },
    });
  } catch (error) {
    const detail = error instanceof Error ? error.message.split('\n')[0] : String(error);
    throw new FormulaError(`la fórmula "${text}" no se puede leer (${detail})`);
  }

  return (variables) => {
    const result = compiled(variables);
    return typeof result === 'number' && Number.isFinite(result) ? result : Number.NaN;
  };
}
