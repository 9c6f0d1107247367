import { describe, expect, it } from 'vitest';
import { COMPLIANCE_CLASSES } from './catalog.ts';
import { COMPLIANCE_CLASS_LABELS } from './compliance-class-labels.ts';

describe('compliance class labels', () => {
  it.each(COMPLIANCE_CLASSES)('names %s in Spanish without the English id', (complianceClass) => {
    const label = COMPLIANCE_CLASS_LABELS[complianceClass];
    expect(label).toMatch(/^[A-ZÁÉÍÓÚÑ][a-záéíóúñ ]+$/);
    expect(label).not.toContain(complianceClass);
  });

  it('gives each class its own label', () => {
    expect(new Set(Object.values(COMPLIANCE_CLASS_LABELS)).size).toBe(COMPLIANCE_CLASSES.length);
  });
});
