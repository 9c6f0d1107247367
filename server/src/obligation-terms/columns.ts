/**
 * The column set of the obligation-terms file, which creditors send apart from the portfolio: one
 * row per obligation with the prior notices of a credit-bureau report (R14) and the collection-fee
 * schedule (R15). Headers are matched as in the portfolio file, without regard to case, accents or spaces.
 */

export const TERMS_COLUMNS = {
  obligationNumber: 'numero_obligacion',
  creditor: 'entidad',
  firstNotice: 'fecha_aviso_1',
  secondNotice: 'fecha_aviso_2',
  feePercent: 'porcentaje_gastos_cobranza',
  feeDisclosed: 'tabla_gastos_informada',
  inLitigation: 'cobro_judicial',
} as const;

export interface TermsColumnSpec {
  name: string;
  required: boolean;
  /** Spanish description for the creditors, as `server/README.md` lists it. */
  description: string;
}

export const TERMS_COLUMN_SPECS: readonly TermsColumnSpec[] = [
  { name: TERMS_COLUMNS.obligationNumber, required: true, description: 'Número de la obligación, como en la cartera' },
  { name: TERMS_COLUMNS.creditor, required: true, description: 'Entidad acreedora, como en la cartera; puede omitirse si la importación la indica' },
  { name: TERMS_COLUMNS.firstNotice, required: false, description: 'Fecha en que se envió al titular el aviso previo al reporte negativo, dd/mm/aaaa' },
  {
    name: TERMS_COLUMNS.secondNotice,
    required: false,
    description: 'Fecha del segundo aviso, en otro día y después del primero, dd/mm/aaaa (deudas de hasta el 15 % de un salario mínimo)',
  },
  { name: TERMS_COLUMNS.feePercent, required: false, description: 'Porcentaje de gastos de cobranza de la tabla de la entidad, de 0 a 100, p. ej. 10 o 12,5' },
  { name: TERMS_COLUMNS.feeDisclosed, required: false, description: '¿La tabla de gastos de cobranza se informó al titular? sí/no (vacío = no)' },
  { name: TERMS_COLUMNS.inLitigation, required: false, description: '¿La obligación está en cobro judicial? sí/no (vacío = no)' },
];
