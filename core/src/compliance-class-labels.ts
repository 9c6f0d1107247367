/**
 * Spanish (es-CO) names of the compliance classes of catalog codes. Zod-free, so the renderer may
 * import it as a value. The record is keyed by the full union, so a new class fails the type check
 * until it has its name here.
 */
import type { ComplianceClass } from './catalog.ts';

export const COMPLIANCE_CLASS_LABELS: Readonly<Record<ComplianceClass, string>> = {
  'two-way': 'Contacto con el titular',
  'third-party': 'Contacto con tercero',
  attempt: 'Sin contacto',
};
