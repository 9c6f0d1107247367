/**
 * Pure edits of a script draft for the administrator's editor. They never fix references on their
 * own: removing a step leaves the answers that pointed to it, and the live check (`checkScript`)
 * names them, so the administrator sees what an edit broke.
 */
import type { ScriptAnswerDef, ScriptDef, ScriptStepDef, StepKind } from '@gestiona/core/script-check';

/** Makes a step id from a title: lower case, no accents, words joined by dashes, unique in the script. */
export function stepIdFor(script: ScriptDef, title: string): string {
  const base =
    title
      .normalize('NFD')
      .replace(/[\u0300-\u036f]/g, '')
      .toLowerCase()
      .replace(/[^a-z0-9]+/g, '-')
      .replace(/^-+|-+$/g, '')
      .slice(0, 40) || 'paso';
  const taken = new Set(script.steps.map((step) => step.id));
  if (!taken.has(base)) return base;
  for (let n = 2; ; n += 1) if (!taken.has(`${base}-${n}`)) return `${base}-${n}`;
}

export function updateStep(script: ScriptDef, index: number, change: Partial<ScriptStepDef>): ScriptDef {
  return { ...script, steps: script.steps.map((step, position) => (position === index ? withoutEmpty({ ...step, ...change }) : step)) };
}

/** Inserts a new step after `index` (at the end when -1 or past the end). */
export function addStep(script: ScriptDef, index: number, kind: StepKind, title: string): ScriptDef {
  const step: ScriptStepDef = { id: stepIdFor(script, title), kind, title, text: 'Texto del paso.' };
  const at = index < 0 || index >= script.steps.length ? script.steps.length : index + 1;
  return { ...script, steps: [...script.steps.slice(0, at), step, ...script.steps.slice(at)] };
}

export function removeStep(script: ScriptDef, index: number): ScriptDef {
  return { ...script, steps: script.steps.filter((_step, position) => position !== index) };
}

/** Moves a step one place up (-1) or down (+1); the first step is where every call starts. */
export function moveStep(script: ScriptDef, index: number, direction: -1 | 1): ScriptDef {
  const target = index + direction;
  if (target < 0 || target >= script.steps.length) return script;
  const steps = [...script.steps];
  [steps[index], steps[target]] = [steps[target]!, steps[index]!];
  return { ...script, steps };
}

export function addAnswer(script: ScriptDef, stepIndex: number, label: string, next: string): ScriptDef {
  const step = script.steps[stepIndex];
  if (step === undefined) return script;
  const answers = step.answers ?? [];
  const taken = new Set(answers.map((answer) => answer.id));
  let id = stepIdFor({ ...script, steps: answers.map((answer) => ({ ...step, id: answer.id })) }, label);
  while (taken.has(id)) id = `${id}-b`;
  return updateStep(script, stepIndex, { answers: [...answers, { id, label, next }], next: undefined });
}

export function updateAnswer(script: ScriptDef, stepIndex: number, answerIndex: number, change: Partial<ScriptAnswerDef>): ScriptDef {
  const step = script.steps[stepIndex];
  if (step === undefined) return script;
  const answers = (step.answers ?? []).map((answer, position) => (position === answerIndex ? withoutEmpty({ ...answer, ...change }) : answer));
  return updateStep(script, stepIndex, { answers });
}

export function removeAnswer(script: ScriptDef, stepIndex: number, answerIndex: number): ScriptDef {
  const step = script.steps[stepIndex];
  if (step === undefined) return script;
  const answers = (step.answers ?? []).filter((_answer, position) => position !== answerIndex);
  return updateStep(script, stepIndex, { answers: answers.length === 0 ? undefined : answers });
}

/** "2026.3" → "2026.4"; any other text gets ".1" appended. The server refuses a version reused with other content. */
export function nextVersion(version: string): string {
  const match = /^(.*?)(\d+)$/.exec(version);
  return match ? `${match[1]}${Number(match[2]) + 1}` : `${version}.1`;
}

/** Drops optional keys set to undefined or false, so the draft publishes the same JSON the schema expects. */
function withoutEmpty<T extends object>(value: T): T {
  const copy = { ...value } as Record<string, unknown>;
  for (const [key, entry] of Object.entries(copy)) if (entry === undefined || entry === false) delete copy[key];
  return copy as T;
}
