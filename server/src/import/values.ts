/**
 * Cell validators. Each takes the cell text as the file has it and returns the parsed value, or a
 * Spanish message that says what is wrong and how to write it. The caller adds line, column and value.
 */
import type { VisitCreditType } from '@gestiona/core/compliance/types';
import type { DocType, Product } from '@gestiona/core/domain';
import { parsePhoneNumberFromString } from 'libphonenumber-js';
import { cleanText, foldText } from './text.ts';
import { canonicalZone, countryFromText } from './time-zones.ts';

export type Parsed<T> = { ok: true; value: T } | { ok: false; message: string };

const ok = <T>(value: T): Parsed<T> => ({ ok: true, value });
const invalid = <T>(message: string): Parsed<T> => ({ ok: false, message });

export function parseInteger(raw: string): Parsed<number> {
  const text = cleanText(raw);
  if (!/^-?\d{1,7}$/.test(text)) return invalid('no es un número entero. Escriba solo dígitos, p. ej. 45 (o -5 si aún no vence).');
  return ok(Number.parseInt(text, 10));
}

/**
 * Pesos as Colombian Excel writes them (`1.234.567,89`: dot thousands, decimal comma) to integer
 * centavos. A dot followed by other than three digits is rejected rather than guessed, because
 * `1.234` reads as one thousand two hundred thirty-four here and as one point two elsewhere.
 */
export function parseAmountCents(raw: string): Parsed<number> {
  const text = cleanText(raw).replace(/^\$\s*/, '');
  const grouped = /^\d{1,3}(\.\d{3})+(,\d{1,2})?$/.test(text);
  const plain = /^\d{1,15}(,\d{1,2})?$/.test(text);
  if (!grouped && !plain) {
    return invalid('no es un valor en pesos válido. Use punto de miles y coma decimal, p. ej. 1.234.567,89, sin signo negativo.');
  }

  const [whole, fraction = ''] = text.replace(/\./g, '').split(',');
  const cents = Number(whole) * 100 + Number(fraction.padEnd(2, '0'));
  if (!Number.isSafeInteger(cents)) return invalid('es un valor demasiado grande. Revise la cifra.');
  return ok(cents);
}

/** `dd/mm/aaaa` (day and month may have one digit) to `YYYY-MM-DD`, rejecting dates that do not exist. */
export function parseDate(raw: string): Parsed<string> {
  const match = /^(\d{1,2})\/(\d{1,2})\/(\d{4})$/.exec(cleanText(raw));
  if (!match) return invalid('no es una fecha válida. Use dd/mm/aaaa, p. ej. 31/01/2026.');

  const [day, month, year] = [Number(match[1]), Number(match[2]), Number(match[3])];
  const date = new Date(Date.UTC(year, month - 1, day));
  const exists = date.getUTCFullYear() === year && date.getUTCMonth() === month - 1 && date.getUTCDate() === day;
  if (!exists || year < 1900) return invalid('no es una fecha que exista. Revise el día y el mes (dd/mm/aaaa).');
  return ok(`${year}-${String(month).padStart(2, '0')}-${String(day).padStart(2, '0')}`);
}

const YES = new Set(['si', 's', 'x', '1', 'true', 'verdadero', 'yes']);
const NO = new Set(['', 'no', 'n', '0', 'false', 'falso']);

/** sí/no as people type it; an empty cell is no. */
export function parseYesNo(raw: string): Parsed<boolean> {
  const folded = foldText(raw);
  if (YES.has(folded)) return ok(true);
  if (NO.has(folded)) return ok(false);
  return invalid('no es sí o no. Escriba "sí" o "no" (vacío cuenta como no).');
}

const DOC_TYPES: Record<string, DocType> = { cc: 'CC', ce: 'CE', nit: 'NIT', pa: 'PA', ti: 'TI', pasaporte: 'PA' };

export function parseDocType(raw: string): Parsed<DocType> {
  const docType = DOC_TYPES[foldText(raw).replace(/\./g, '')];
  return docType ? ok(docType) : invalid('no es un tipo de documento válido. Use CC, CE, NIT, PA o TI.');
}

/**
 * Document numbers lose the dots and spaces Excel users add (`1.020.304.050`). NIT may carry its
 * check digit after a dash; passports are letters and digits.
 */
export function parseDocNumber(docType: DocType, raw: string): Parsed<string> {
  const text = cleanText(raw).replace(/[.\s]/g, '').toUpperCase();
  switch (docType) {
    case 'CC':
    case 'TI':
      return /^\d{5,10}$/.test(text) ? ok(text) : invalid(`no es un número de ${docType} válido. Escriba de 5 a 10 dígitos.`);
    case 'CE':
      return /^\d{4,10}$/.test(text) ? ok(text) : invalid('no es un número de cédula de extranjería válido. Escriba de 4 a 10 dígitos.');
    case 'NIT':
      return /^\d{8,10}(-\d)?$/.test(text) ? ok(text) : invalid('no es un NIT válido. Escriba de 8 a 10 dígitos, con el dígito de verificación tras un guion si lo tiene (900123456-7).');
    case 'PA':
      return /^[A-Z0-9]{5,20}$/.test(text) ? ok(text) : invalid('no es un número de pasaporte válido. Use de 5 a 20 letras o dígitos.');
  }
}

const PRODUCTS: Record<string, Product> = {
  'tarjeta de credito': 'credit-card',
  tarjeta: 'credit-card',
  'credit-card': 'credit-card',
  consumo: 'consumer-loan',
  'credito de consumo': 'consumer-loan',
  'libre inversion': 'consumer-loan',
  'consumer-loan': 'consumer-loan',
  libranza: 'payroll-loan',
  'credito de libranza': 'payroll-loan',
  'payroll-loan': 'payroll-loan',
  vehiculo: 'vehicle',
  'credito de vehiculo': 'vehicle',
  vehicle: 'vehicle',
  hipotecario: 'mortgage',
  'credito hipotecario': 'mortgage',
  vivienda: 'mortgage',
  mortgage: 'mortgage',
  microcredito: 'microcredit',
  microcredit: 'microcredit',
};

export function parseProduct(raw: string): Parsed<Product> {
  // Own keys only, so that a cell reading "constructor" is not taken for a product.
  const folded = foldText(raw);
  const product = Object.hasOwn(PRODUCTS, folded) ? PRODUCTS[folded] : undefined;
  return product
    ? ok(product)
    : invalid('no es un producto conocido. Use tarjeta de crédito, consumo, libranza, vehículo, hipotecario o microcrédito.');
}

export type PhoneKind = 'mobile' | 'landline' | 'any';

/**
 * Colombian numbers to E.164 (`+57` and 10 digits). Mobiles start with 3; landlines have started
 * with 60 and the area digit since the 2021 numbering change. Spaces, dashes, dots, parentheses and
 * a leading +57 or 57 are accepted in the input. A number written with `+` and another country code
 * is a foreign number, checked against that country's numbering plan. Whether it is a mobile is not
 * checked, because several plans (the United States among them) do not tell mobiles apart.
 */
export function parsePhone(raw: string, kind: PhoneKind): Parsed<string> {
  const compact = cleanText(raw).replace(/[\s\-.()]/g, '');
  if (compact.startsWith('+') && !compact.startsWith('+57')) return parseForeignPhone(compact);
  const national = compact.startsWith('+57') ? compact.slice(3) : /^57\d{10}$/.test(compact) ? compact.slice(2) : compact;

  if (!/^\d{10}$/.test(national)) {
    return invalid(
      'no es un teléfono colombiano válido. Escriba 10 dígitos (celular 3XX XXX XXXX o fijo 60X XXX XXXX), con o sin +57; un número de otro país, con + y su indicativo.',
    );
  }
  const mobile = national.startsWith('3');
  const landline = national.startsWith('60');
  if (kind === 'mobile' && !mobile) return invalid('no es un celular colombiano. Un celular tiene 10 dígitos y empieza por 3.');
  if (kind === 'landline' && !landline) {
    return invalid('no es un fijo válido. Desde 2021 los fijos tienen 10 dígitos y empiezan por 60 y el indicativo (p. ej. 601 234 5678).');
  }
  if (!mobile && !landline) return invalid('no es un teléfono colombiano válido. Debe empezar por 3 (celular) o por 60 (fijo).');
  return ok(`+57${national}`);
}

function parseForeignPhone(compact: string): Parsed<string> {
  const number = parsePhoneNumberFromString(compact);
  if (number === undefined || !number.isValid()) {
    return invalid('no es un número internacional válido. Escriba + y el indicativo del país seguido del número, p. ej. +34 612 345 678.');
  }
  if (number.country === undefined) {
    return invalid('es un número internacional que no pertenece a ningún país. Escriba el número de la persona con el indicativo de su país.');
  }
  return ok(number.number);
}

export function parseEmail(raw: string): Parsed<string> {
  const text = cleanText(raw).toLowerCase();
  return /^[^\s@]+@[^\s@]+\.[^\s@]+$/.test(text) && text.length <= 320
    ? ok(text)
    : invalid('no es un correo electrónico válido. Escriba una dirección como nombre@dominio.com.');
}

/** Full name: accents and ñ kept as written, composed (NFC), whitespace collapsed. */
export function parseName(raw: string): Parsed<string> {
  const text = cleanText(raw);
  if (text.length === 0) return invalid('está vacío. Escriba el nombre completo.');
  if (text.length > 200) return invalid('es demasiado largo (más de 200 caracteres). Abrévielo.');
  return ok(text);
}

export const CO_OBLIGOR_RELATIONS = ['codeudor', 'avalista', 'deudor solidario'] as const;
export type CoObligorRelation = (typeof CO_OBLIGOR_RELATIONS)[number];

export function parseCoObligorRelation(raw: string): Parsed<CoObligorRelation> {
  const folded = foldText(raw);
  const relation = CO_OBLIGOR_RELATIONS.find((candidate) => candidate === folded);
  return relation ? ok(relation) : invalid('no es una calidad válida. Use codeudor, avalista o deudor solidario.');
}

const VISIT_CREDIT_TYPES: Record<string, VisitCreditType> = {
  microcredito: 'microcredit',
  fomento: 'development',
  agropecuario: 'agricultural',
};

/** Parses the credit type that lets R13 allow a field visit: microcrédito, fomento or agropecuario. */
export function parseVisitCreditType(raw: string): Parsed<VisitCreditType> {
  const folded = foldText(raw);
  const type = Object.hasOwn(VISIT_CREDIT_TYPES, folded) ? VISIT_CREDIT_TYPES[folded] : undefined;
  return type ? ok(type) : invalid('no es un tipo de crédito que admita visitas. Use microcrédito, fomento o agropecuario, o deje la celda vacía.');
}

/** Free text such as a city, a relation or an evidence reference, with a length limit. */
export function parseText(raw: string, maxLength: number): Parsed<string> {
  const text = cleanText(raw);
  return text.length <= maxLength ? ok(text) : invalid(`es demasiado largo (más de ${maxLength} caracteres). Abrévielo.`);
}

/** Parses a time zone as the IANA database names it (`Europe/Madrid`), in any letter case. */
export function parseTimeZone(raw: string): Parsed<string> {
  const zone = canonicalZone(cleanText(raw));
  return zone === null ? invalid('no es una zona horaria IANA. Escriba el nombre de la zona, p. ej. Europe/Madrid o America/New_York.') : ok(zone);
}

/** Parses a country given as its ISO code (`ES`) or its name (`España`, `Estados Unidos`). */
export function parseCountry(raw: string): Parsed<string> {
  const country = countryFromText(raw);
  return country === null ? invalid('no es un país conocido. Escriba el nombre del país (España, Estados Unidos) o su código de dos letras (ES, US).') : ok(country);
}
