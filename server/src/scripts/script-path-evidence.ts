/**
 * The script path of a contact as the evidence export shows it: each step walked and the answer
 * chosen, with the titles and answer labels of the script version the agent followed when the
 * server has that version (ids otherwise).
 */
import { edgesOf, type Script } from '@gestiona/core/script';
import type { InteractionRecorded } from '@gestiona/core/sync';
import type { ServerStore } from '../store/types.ts';

export interface EvidenceScriptPath {
  scriptId: string;
  scriptVersion: string | null;
  steps: { stepId: string; stepTitle: string; answer: string | null; answerLabel: string | null }[];
  /** Spanish, one line: `Guion guion-temprana 2026.3: Saludo → Verificación de identidad [Identidad confirmada] → …`. */
  text: string;
}

/** Looks up script versions once per export. */
export function scriptPathDescriber(store: ServerStore): (payload: InteractionRecorded) => Promise<EvidenceScriptPath | null> {
  const scripts = new Map<string, Promise<Script | null>>();
  const scriptOf = (id: string, version: string): Promise<Script | null> => {
    const key = `${id}@${version}`;
    let found = scripts.get(key);
    if (found === undefined) {
      found = store.scriptVersion(id, version).then((record) => record?.script ?? null);
      scripts.set(key, found);
    }
    return found;
  };

  return async (payload) => {
    if (payload.scriptPath === undefined || payload.scriptPath.length === 0 || payload.scriptId === undefined) return null;
    const script = payload.scriptVersion === undefined ? null : await scriptOf(payload.scriptId, payload.scriptVersion);
    const steps = payload.scriptPath.map((entry) => {
      const step = script?.steps.find((candidate) => candidate.id === entry.stepId);
      const edge = script === null ? undefined : edgesOf(script, entry.stepId).find((candidate) => candidate.answer === entry.answer);
      return {
        stepId: entry.stepId,
        stepTitle: step?.title ?? entry.stepId,
        answer: entry.answer,
        answerLabel: entry.answer === null ? null : (edge?.label ?? entry.answer),
      };
    });
    const walked = steps.map((step) => (step.answerLabel === null ? step.stepTitle : `${step.stepTitle} [${step.answerLabel}]`)).join(' → ');
    return {
      scriptId: payload.scriptId,
      scriptVersion: payload.scriptVersion ?? null,
      steps,
      text: `Guion ${payload.scriptId}${payload.scriptVersion === undefined ? '' : ` ${payload.scriptVersion}`}: ${walked}`,
    };
  };
}
