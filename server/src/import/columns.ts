/**
 * The portfolio file's column set. One row per obligation; debtor data repeats on every row of the
 * same debtor. Headers are matched without regard to case, accents or spaces ("Días mora" is
 * `dias_mora`). `server/README.md` documents each column for the creditors.
 */

/** A debtor's own contact columns: each address has its authorisation beside it. */
export const CONTACT_KINDS = ['celular', 'fijo', 'correo', 'whatsapp', 'sms'] as const;
export type ContactKind = (typeof CONTACT_KINDS)[number];

export const AUTHORIZATION_SUFFIXES = ['autorizado', 'fuente', 'fecha', 'evidencia'] as const;

export const REFERENCE_SLOTS = [1, 2] as const;

export const COLUMNS = {
  docType: 'tipo_documento',
  docNumber: 'numero_documento',
  name: 'nombre',
  city: 'ciudad',
  timeZone: 'zona_horaria',
  country: 'pais_residencia',
  postalAddress: 'direccion',
  obligationNumber: 'numero_obligacion',
  creditor: 'entidad',
  product: 'producto',
  balance: 'saldo',
  overdue: 'valor_vencido',
  daysPastDue: 'dias_mora',
  dueDate: 'fecha_vencimiento',
  writtenOff: 'castigada',
  visitCreditType: 'visita_tipo_credito',
  visitAllowed: 'visita_autorizada',
  coDocType: 'codeudor_tipo_documento',
  coDocNumber: 'codeudor_numero_documento',
  coName: 'codeudor_nombre',
  coRelation: 'codeudor_relacion',
  coMobile: 'codeudor_celular',
  coTimeZone: 'codeudor_zona_horaria',
  coCountry: 'codeudor_pais_residencia',
  score: 'puntaje',
  originationChannel: 'canal_originacion',
  originationCity: 'ciudad_originacion',
  originationDate: 'fecha_originacion',
  originationAmount: 'monto_originacion',
} as const;

export function authorizationColumn(address: string, suffix: (typeof AUTHORIZATION_SUFFIXES)[number]): string {
  return `${address}_${suffix}`;
}

export function referenceColumn(slot: (typeof REFERENCE_SLOTS)[number], field: 'nombre' | 'relacion' | 'telefono'): string {
  return `referencia${slot}_${field}`;
}

export interface ColumnSpec {
  name: string;
  /** `entidad` may be left out when the import names the creditor (`--creditor`). */
  required: boolean;
  /** Spanish description for the format documentation. */
  description: string;
}

function authorizationSpecs(address: string, label: string): ColumnSpec[] {
  const capitalized = `${label.charAt(0).toUpperCase()}${label.slice(1)}`;
  return [
    { name: authorizationColumn(address, 'autorizado'), required: false, description: `¿${capitalized} autorizado para cobranza? sí/no (vacío = no)` },
    { name: authorizationColumn(address, 'fuente'), required: false, description: `Origen de la autorización del ${label} (contrato, formulario web, llamada grabada…)` },
    { name: authorizationColumn(address, 'fecha'), required: false, description: `Fecha de la autorización del ${label}, dd/mm/aaaa` },
    { name: authorizationColumn(address, 'evidencia'), required: false, description: `Referencia de la evidencia de la autorización del ${label}` },
  ];
}

/** Every accepted column, in the order the sample file writes them. */
export const COLUMN_SPECS: readonly ColumnSpec[] = [
  { name: COLUMNS.docType, required: true, description: 'Tipo de documento del titular: CC, CE, NIT, PA o TI' },
  { name: COLUMNS.docNumber, required: true, description: 'Número de documento del titular (se aceptan puntos de miles; NIT con o sin dígito de verificación)' },
  { name: COLUMNS.name, required: true, description: 'Nombre completo del titular' },
  { name: COLUMNS.city, required: false, description: 'Ciudad del titular' },
  {
    name: COLUMNS.timeZone,
    required: false,
    description: 'Zona horaria del titular si vive fuera de Colombia, como la nombra IANA (Europe/Madrid, America/New_York); prima sobre el país',
  },
  {
    name: COLUMNS.country,
    required: false,
    description: 'País de residencia del titular (España, Estados Unidos o su código ES, US); vacío = Colombia. Si el país tiene varias zonas horarias, se exige el horario legal en todas',
  },
  { name: COLUMNS.postalAddress, required: false, description: 'Dirección postal del titular, a la que van las cartas y las visitas de campo de la estrategia' },
  { name: COLUMNS.obligationNumber, required: true, description: 'Número de la obligación (único por entidad)' },
  { name: COLUMNS.creditor, required: true, description: 'Entidad acreedora; puede omitirse si la importación la indica' },
  { name: COLUMNS.product, required: true, description: 'Producto: tarjeta de crédito, consumo (libre inversión), libranza, vehículo, hipotecario (vivienda) o microcrédito' },
  { name: COLUMNS.balance, required: true, description: 'Saldo total en pesos, formato 1.234.567,89' },
  { name: COLUMNS.overdue, required: true, description: 'Valor vencido en pesos, formato 1.234.567,89' },
  { name: COLUMNS.daysPastDue, required: true, description: 'Días de mora (entero; 0 o negativo si aún no vence)' },
  { name: COLUMNS.dueDate, required: false, description: 'Fecha de vencimiento de la cuota más antigua sin pagar, dd/mm/aaaa' },
  { name: COLUMNS.writtenOff, required: false, description: '¿Obligación castigada? sí/no (vacío = no)' },
  { name: COLUMNS.visitCreditType, required: false, description: 'Tipo de crédito para visitas de campo: microcrédito, fomento o agropecuario; vacío = no admite visitas' },
  { name: COLUMNS.visitAllowed, required: false, description: '¿La entidad autoriza visitas de campo para esta obligación? sí/no (vacío = no)' },
  { name: 'celular', required: false, description: 'Celular del titular: 10 dígitos que empiezan por 3, con o sin +57; o un número de otro país con + y su indicativo' },
  ...authorizationSpecs('celular', 'celular'),
  { name: 'fijo', required: false, description: 'Teléfono fijo del titular: 10 dígitos que empiezan por 60, con o sin +57; o un número de otro país con + y su indicativo' },
  ...authorizationSpecs('fijo', 'fijo'),
  { name: 'correo', required: false, description: 'Correo electrónico del titular' },
  ...authorizationSpecs('correo', 'correo'),
  { name: 'whatsapp', required: false, description: 'Número de WhatsApp del titular (celular colombiano, o número de otro país con + y su indicativo)' },
  ...authorizationSpecs('whatsapp', 'WhatsApp'),
  { name: 'sms', required: false, description: 'Celular al que se envían SMS (colombiano, o de otro país con + y su indicativo); autorizar las llamadas no autoriza los SMS' },
  ...authorizationSpecs('sms', 'número para SMS'),
  { name: COLUMNS.coDocType, required: false, description: 'Tipo de documento del codeudor' },
  { name: COLUMNS.coDocNumber, required: false, description: 'Número de documento del codeudor' },
  { name: COLUMNS.coName, required: false, description: 'Nombre completo del codeudor' },
  { name: COLUMNS.coRelation, required: false, description: 'Calidad: codeudor, avalista o deudor solidario' },
  { name: COLUMNS.coMobile, required: false, description: 'Celular del codeudor (colombiano, o de otro país con + y su indicativo)' },
  ...authorizationSpecs(COLUMNS.coMobile, 'celular del codeudor'),
  { name: COLUMNS.coTimeZone, required: false, description: 'Zona horaria del codeudor si vive fuera de Colombia, como la nombra IANA; prima sobre su país' },
  { name: COLUMNS.coCountry, required: false, description: 'País de residencia del codeudor (nombre o código); vacío = Colombia' },
  ...REFERENCE_SLOTS.flatMap((slot): ColumnSpec[] => [
    { name: referenceColumn(slot, 'nombre'), required: false, description: `Nombre de la referencia personal ${slot}` },
    { name: referenceColumn(slot, 'relacion'), required: false, description: `Relación de la referencia ${slot} con el titular` },
    { name: referenceColumn(slot, 'telefono'), required: false, description: `Teléfono de la referencia ${slot} (nunca se marca)` },
  ]),
  // Optional columns that segment rules and priority formulas read.
  { name: COLUMNS.score, required: false, description: 'Puntaje del titular (entero de 0 a 9999, p. ej. el de riesgo o de cobranza); igual en todas sus filas' },
  { name: COLUMNS.originationChannel, required: false, description: 'Canal por el que se originó la obligación (oficina, digital, fuerza de ventas…)' },
  { name: COLUMNS.originationCity, required: false, description: 'Ciudad donde se originó la obligación' },
  { name: COLUMNS.originationDate, required: false, description: 'Fecha de originación (desembolso) de la obligación, dd/mm/aaaa' },
  { name: COLUMNS.originationAmount, required: false, description: 'Monto originado (desembolsado) en pesos, formato 1.234.567,89' },
];

export const COLUMN_NAMES: readonly string[] = COLUMN_SPECS.map((spec) => spec.name);
