import type { Condition, ConditionValue, RuleGroup, RuleNode } from '@gestiona/core/strategy/schema';
import type { StrategyVocabulary } from '@gestiona/core/ipc';
import { isCondition, ruleOf, ruleParts } from '../../../store/admin-strategy-draft.ts';
import { fieldError } from './fields.ts';

type Variable = StrategyVocabulary['variables'][number];

const LIST_OPS = new Set(['in', 'notIn', 'includes', 'excludes']);
const NO_VALUE_OPS = new Set(['isNull', 'isNotNull']);

interface RuleEditorProps {
  rule: RuleGroup;
  vocabulary: StrategyVocabulary;
  /** Field path of the rule, e.g. `segments[2].rule`, to find the errors that name it. */
  path: string;
  fields: Record<string, string>;
  onChange(rule: RuleGroup): void;
}

/**
 * Edits the segment's rule as a list of conditions joined by "todas" (all) or "alguna" (any). Nested
 * groups, which only a published file can hold, are kept and shown as text.
 */
export function RuleEditor({ rule, vocabulary, path, fields, onChange }: RuleEditorProps) {
  const { kind, children } = ruleParts(rule);
  const replaceChild = (index: number, node: RuleNode): void => onChange(ruleOf(kind, children.map((child, position) => (position === index ? node : child))));
  const removeChild = (index: number): void => onChange(ruleOf(kind, children.filter((_child, position) => position !== index)));
  const ruleError = fields[path] ?? null;

  return (
    <fieldset className="rule-editor">
      <legend>Regla del segmento</legend>
      <label className="inline-field">
        El deudor entra si cumple
        <select value={kind} data-testid="rule-kind" onChange={(event) => onChange(ruleOf(event.target.value === 'any' ? 'any' : 'all', children))}>
          <option value="all">todas las condiciones</option>
          <option value="any">alguna de las condiciones</option>
        </select>
      </label>
      {children.length === 0 && kind === 'all' && <p className="muted">Sin condiciones: recoge a todos los deudores que no entraron en un segmento anterior.</p>}
      <ul className="condition-list">
        {children.map((child, index) => (
          <li key={index} data-testid="rule-condition">
            {isCondition(child) ? (
              <ConditionRow
                condition={child}
                vocabulary={vocabulary}
                error={fieldError(fields, `${path}.${kind}[${index}]`)}
                onChange={(condition) => replaceChild(index, condition)}
              />
            ) : (
              <code className="nested-rule">{JSON.stringify(child)}</code>
            )}
            <button type="button" className="link-button" onClick={() => removeChild(index)}>
              Quitar
            </button>
          </li>
        ))}
      </ul>
      <button type="button" data-testid="rule-add-condition" onClick={() => onChange(ruleOf(kind, [...children, { variable: 'daysPastDue', op: 'gte', value: 0 }]))}>
        Agregar condición
      </button>
      {ruleError && <p className="field-error" role="alert">{ruleError}</p>}
    </fieldset>
  );
}

function ConditionRow({ condition, vocabulary, error, onChange }: { condition: Condition; vocabulary: StrategyVocabulary; error: string | null; onChange(condition: Condition): void }) {
  const variable = vocabulary.variables.find((candidate) => candidate.name === condition.variable);
  const ops = variable ? (vocabulary.opsByType[variable.type] ?? []).filter((op) => variable.nullable || !NO_VALUE_OPS.has(op)) : [];
  const opLabel = (op: string): string => vocabulary.operators.find((candidate) => candidate.op === op)?.label ?? op;

  return (
    <div className="condition-row">
      <select
        aria-label="Variable"
        data-testid="condition-variable"
        value={condition.variable}
        onChange={(event) => {
          const next = vocabulary.variables.find((candidate) => candidate.name === event.target.value);
          const op = next ? (vocabulary.opsByType[next.type]?.[0] ?? 'eq') : condition.op;
          onChange({ variable: event.target.value, op: op as Condition['op'], value: next ? defaultValue(next, op) : condition.value });
        }}
      >
        {!variable && <option value={condition.variable}>{condition.variable} (desconocida)</option>}
        {vocabulary.variables.map((candidate) => (
          <option key={candidate.name} value={candidate.name}>
            {candidate.label}
          </option>
        ))}
      </select>
      <select
        aria-label="Operador"
        data-testid="condition-op"
        value={condition.op}
        onChange={(event) => onChange({ ...condition, op: event.target.value as Condition['op'], value: variable ? defaultValue(variable, event.target.value) : condition.value })}
      >
        {!ops.includes(condition.op) && <option value={condition.op}>{opLabel(condition.op)}</option>}
        {ops.map((op) => (
          <option key={op} value={op}>
            {opLabel(op)}
          </option>
        ))}
      </select>
      {variable && <ValueInput variable={variable} op={condition.op} value={condition.value} onChange={(value) => onChange(withValue(condition, value))} />}
      {error && (
        <span className="field-error" role="alert">
          {error}
        </span>
      )}
    </div>
  );
}

function withValue(condition: Condition, value: ConditionValue | undefined): Condition {
  const next: Condition = { variable: condition.variable, op: condition.op };
  if (value !== undefined) next.value = value;
  return next;
}

/** Returns a value that fits the variable and the operator, so that changing either keeps the condition valid. */
function defaultValue(variable: Variable, op: string): ConditionValue | undefined {
  if (NO_VALUE_OPS.has(op)) return undefined;
  const scalar = variable.type === 'number' ? 0 : variable.type === 'boolean' ? true : variable.type === 'date' ? '2026-01-01' : (variable.values?.[0] ?? '');
  if (op === 'between') return typeof scalar === 'number' ? [0, 30] : [String(scalar), String(scalar)];
  if (LIST_OPS.has(op)) return [typeof scalar === 'boolean' ? String(scalar) : scalar];
  return scalar;
}

function ValueInput({ variable, op, value, onChange }: { variable: Variable; op: string; value: ConditionValue | undefined; onChange(value: ConditionValue | undefined): void }) {
  if (NO_VALUE_OPS.has(op)) return null;

  if (op === 'between') {
    const pair = Array.isArray(value) ? value : [];
    const update = (position: 0 | 1, text: string): void => {
      const next = [pair[0] ?? '', pair[1] ?? ''];
      next[position] = scalarFromText(variable, text) as string | number;
      onChange(next as ConditionValue);
    };
    return (
      <span className="condition-between">
        <input aria-label="Desde" data-testid="condition-value" value={String(pair[0] ?? '')} onChange={(event) => update(0, event.target.value)} />
        y
        <input aria-label="Hasta" data-testid="condition-value-to" value={String(pair[1] ?? '')} onChange={(event) => update(1, event.target.value)} />
      </span>
    );
  }

  if (LIST_OPS.has(op)) {
    const list = Array.isArray(value) ? value : value === undefined || value === null ? [] : [value];
    return (
      <input
        aria-label="Valores separados por coma"
        data-testid="condition-value"
        placeholder={variable.values ? variable.values.join(', ') : 'valor, valor'}
        value={list.join(', ')}
        onChange={(event) =>
          onChange(
            event.target.value
              .split(',')
              .map((part) => part.trim())
              .filter((part) => part !== '')
              .map((part) => scalarFromText(variable, part) as string | number),
          )
        }
      />
    );
  }

  if (variable.type === 'boolean') {
    return (
      <select aria-label="Valor" data-testid="condition-value" value={String(value)} onChange={(event) => onChange(event.target.value === 'true')}>
        <option value="true">sí</option>
        <option value="false">no</option>
      </select>
    );
  }
  if (variable.values) {
    return (
      <select aria-label="Valor" data-testid="condition-value" value={String(value ?? '')} onChange={(event) => onChange(event.target.value)}>
        {variable.values.map((option) => (
          <option key={option} value={option}>
            {option}
          </option>
        ))}
      </select>
    );
  }
  return (
    <input
      aria-label="Valor"
      data-testid="condition-value"
      type={variable.type === 'date' ? 'date' : 'text'}
      inputMode={variable.type === 'number' ? 'decimal' : undefined}
      value={value === undefined || value === null ? '' : String(value)}
      onChange={(event) => onChange(scalarFromText(variable, event.target.value))}
    />
  );
}

/**
 * Converts a typed number when it reads as one: `1.000.000` with thousands dots, `2,5` with a
 * decimal comma, or `2.5`. Anything else stays text, so that the validation names it.
 */
function scalarFromText(variable: Variable, text: string): string | number {
  if (variable.type !== 'number') return text;
  const trimmed = text.trim();
  const normalized = /^-?\d{1,3}(\.\d{3})+(,\d+)?$/.test(trimmed) ? trimmed.replace(/\./g, '').replace(',', '.') : trimmed.replace(',', '.');
  return normalized !== '' && Number.isFinite(Number(normalized)) ? Number(normalized) : text;
}
