/**
 * Guided call scripts: a graph of steps (greeting, identity check, reason, negotiation with answers
 * that branch, objections, closing with its required notices), chosen by the debtor's strategy, with
 * `{{variables}}` filled from the debtor and the obligations. The identity check comes before any
 * debt detail on every path, because a debt must never be disclosed to a third party.
 *
 * The graph, the checks and the rendering live in the zod-free `script-check.ts`, which the renderer
 * may import; this module adds the schemas.
 */
import { z } from 'zod';
import { segmentSchema } from './domain.ts';
import {
  DISCLOSURE_IDS,
  STEP_ANNOUNCEMENTS,
  STEP_KINDS,
  type DisclosureId,
  type ScriptDef,
} from './script-check.ts';

export * from './script-check.ts';

const slug = z.string().regex(/^[a-z0-9-]+$/).max(100);

export const scriptAnswerSchema = z.object({
  id: slug,
  label: z.string().trim().min(1).max(120),
  next: slug,
  confirmsIdentity: z.boolean().optional(),
});
export type ScriptAnswer = z.infer<typeof scriptAnswerSchema>;

export const scriptStepSchema = z.object({
  id: slug,
  kind: z.enum(STEP_KINDS),
  title: z.string().min(1).max(100),
  text: z.string().min(1).max(4000),
  /**
   * `credit-report`: the step announces a negative report to the credit bureaus, so the workstation
   * shows it locked until R14 allows the report for the debtor. A step that mentions the bureaus
   * must carry this mark.
   */
  announces: z.enum(STEP_ANNOUNCEMENTS).optional(),
  /** The debtor's possible answers, each leading to a step. Without answers the step goes to `next` or the following step. */
  answers: z.array(scriptAnswerSchema).max(12).optional(),
  next: slug.optional(),
  /** On a closing: the required notices it reads out (see `SCRIPT_DISCLOSURES`). */
  disclosures: z.array(z.enum(DISCLOSURE_IDS as [DisclosureId, ...DisclosureId[]])).max(DISCLOSURE_IDS.length).optional(),
});
export type ScriptStep = z.infer<typeof scriptStepSchema>;

export const scriptSchema = z.object({
  id: slug,
  version: z.string().min(1).max(50),
  name: z.string().min(1).max(200),
  /** Informative: the strategy picks the script by id (`scriptId`). */
  segment: segmentSchema.optional(),
  steps: z.array(scriptStepSchema).min(2).max(60),
});
export type Script = z.infer<typeof scriptSchema>;

// Fails the type check when the schema and the zod-free shape drift apart.
const scriptFitsDef: (script: Script) => ScriptDef = (script) => script;
void scriptFitsDef;
