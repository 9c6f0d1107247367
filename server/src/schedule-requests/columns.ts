/**
 * The columns of a schedule request file. One row per window; a person with several windows (weekday
 * evenings and Saturday mornings) has several rows that repeat the other columns. `server/README.md`
 * documents each column for the creditors.
 */
import type { ColumnSpec } from '../import/columns.ts';

export const REQUEST_COLUMNS = {
  docType: 'tipo_documento',
  docNumber: 'numero_documento',
  days: 'dias',
  from: 'desde',
  to: 'hasta',
  requestedOn: 'fecha_solicitud',
  contractSignedOn: 'fecha_contrato',
  evidence: 'evidencia',
  initiative: 'iniciativa',
} as const;

export const REQUEST_COLUMN_SPECS: readonly ColumnSpec[] = [
  { name: REQUEST_COLUMNS.docType, required: true, description: 'Tipo de documento de la persona (titular o codeudor): CC, CE, NIT, PA o TI' },
  { name: REQUEST_COLUMNS.docNumber, required: true, description: 'Número de documento de la persona; debe estar en una cartera ya importada' },
  {
    name: REQUEST_COLUMNS.days,
    required: true,
    description: 'Días de la franja: L, M, X, J, V, S, D (o lunes, martes…), separados por comas o como rango (L-V)',
  },
  { name: REQUEST_COLUMNS.from, required: true, description: 'Hora de inicio de la franja, hora de Bogotá, HH:MM (19:00)' },
  { name: REQUEST_COLUMNS.to, required: true, description: 'Hora de fin de la franja, sin incluirla, hora de Bogotá, HH:MM (21:00; 24:00 = medianoche)' },
  { name: REQUEST_COLUMNS.requestedOn, required: true, description: 'Fecha del documento en que la persona pidió el horario, dd/mm/aaaa' },
  { name: REQUEST_COLUMNS.contractSignedOn, required: true, description: 'Fecha del contrato de la obligación, dd/mm/aaaa' },
  { name: REQUEST_COLUMNS.evidence, required: false, description: 'Referencia de la solicitud firmada o grabada que guarda la entidad' },
  { name: REQUEST_COLUMNS.initiative, required: true, description: 'Quién propuso el horario: consumidor o acreedor' },
];
