/**
 * The column set of the creditor's payments file: one row per payment received, with the debtor's
 * document, the obligation paid and the creditor's payment reference. Headers are matched as in
 * the portfolio file, without regard to case, accents or spaces.
 */

export const PAYMENT_COLUMNS = {
  docType: 'tipo_documento',
  docNumber: 'numero_documento',
  obligationNumber: 'numero_obligacion',
  creditor: 'entidad',
  paidOn: 'fecha_pago',
  amount: 'valor_pagado',
  reference: 'referencia_pago',
} as const;

export interface PaymentColumnSpec {
  name: string;
  required: boolean;
  /** Spanish description for the creditors. */
  description: string;
}

export const PAYMENT_COLUMN_SPECS: readonly PaymentColumnSpec[] = [
  { name: PAYMENT_COLUMNS.docType, required: true, description: 'Tipo de documento del titular: CC, CE, NIT, PA o TI' },
  { name: PAYMENT_COLUMNS.docNumber, required: true, description: 'Número de documento del titular, como en la cartera' },
  { name: PAYMENT_COLUMNS.obligationNumber, required: true, description: 'Número de la obligación pagada, como en la cartera' },
  { name: PAYMENT_COLUMNS.creditor, required: true, description: 'Entidad acreedora, como en la cartera; puede omitirse si la importación la indica' },
  { name: PAYMENT_COLUMNS.paidOn, required: true, description: 'Fecha en que la entidad recibió el pago, dd/mm/aaaa' },
  { name: PAYMENT_COLUMNS.amount, required: true, description: 'Valor pagado en pesos, con punto de miles y coma decimal, p. ej. 1.234.567,89' },
  { name: PAYMENT_COLUMNS.reference, required: true, description: 'Referencia del pago de la entidad; única por entidad' },
];
