/**
 * Writes resources/sample-portfolio.csv: a made-up portfolio of 2,000 debtors and 5,000 obligations
 * in the import format, as Excel exports it in Colombia (semicolons, decimal comma, dd/mm/aaaa,
 * UTF-8 with BOM, CRLF). A fixed seed makes every run write the same bytes.
 *
 * Usage: npm run generate:sample
 */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { COLUMN_NAMES } from '../server/src/import/columns.ts';

export const SAMPLE_DEBTORS = 2000;
export const SAMPLE_OBLIGATIONS = 5000;
const MAX_OBLIGATIONS_PER_DEBTOR = 6;
const SEED = 20261204;
/** Due dates are computed back from this day, so the file does not depend on when it is generated. */
const REFERENCE_DATE = Date.UTC(2026, 11, 1);
const DAY_MS = 24 * 60 * 60 * 1000;

/** mulberry32: a small, well-mixed 32-bit PRNG, enough for sample data. */
function createRandom(seed: number) {
  let state = seed >>> 0;
  const next = (): number => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  const int = (min: number, max: number): number => min + Math.floor(next() * (max - min + 1));
  const pick = <T>(items: readonly T[]): T => items[Math.floor(next() * items.length)]!;
  const chance = (probability: number): boolean => next() < probability;
  const digits = (count: number): string => Array.from({ length: count }, () => String(int(0, 9))).join('');
  return { next, int, pick, chance, digits };
}
type Random = ReturnType<typeof createRandom>;

/** Given names, alternating male (even index) and female (odd index), so a second name can match the first. */
const FIRST_NAMES = [
  'José', 'María', 'Andrés', 'Sofía', 'Julián', 'Camila', 'Nicolás', 'Valentina', 'Sebastián', 'Mónica',
  'Héctor', 'Lucía', 'Iván', 'Inés', 'Martín', 'Yolanda', 'Ramón', 'Ángela', 'Óscar', 'Ximena',
  'Álvaro', 'Luz Dary', 'Raúl', 'Johana', 'Jesús', 'Diana', 'Edwin', 'Begoña', 'Wilson', 'Nubia',
  'Esteban', 'María José', 'Germán', 'Verónica', 'Fabián', 'Adriana', 'Tomás', 'Rocío', 'Joaquín', 'Paola',
];
const SURNAMES = [
  'Peña', 'Muñoz', 'Báez', 'Núñez', 'Ibáñez', 'Gómez', 'Rodríguez', 'Martínez', 'Hernández', 'López',
  'González', 'Pérez', 'Sánchez', 'Ramírez', 'Díaz', 'Álvarez', 'Gutiérrez', 'Jiménez', 'Suárez', 'Castañeda',
  'Patiño', 'Zúñiga', 'Ordóñez', 'Montaño', 'Cañas', 'Quiñones', 'Ospina', 'Restrepo', 'Cárdenas', 'Beltrán',
  'Londoño', 'Acuña', 'Maldonado', 'Ñustes', 'Villamizar', 'Arévalo', 'Mejía', 'Galeano', 'Córdoba', 'Ávila',
];
const COMPANY_FORMS = ['Distribuciones {s} S.A.S.', 'Comercializadora {s} y Cía. Ltda.', 'Inversiones {s} S.A.S.', 'Panadería La Señora {s}'];

/** City and the 60X landline prefix of its department. */
const CITIES: readonly [string, string][] = [
  ['Bogotá', '601'], ['Medellín', '604'], ['Cali', '602'], ['Barranquilla', '605'], ['Cartagena', '605'],
  ['Bucaramanga', '607'], ['Cúcuta', '607'], ['Pereira', '606'], ['Manizales', '606'], ['Ibagué', '608'],
  ['Santa Marta', '605'], ['Villavicencio', '608'], ['Pasto', '602'], ['Montería', '604'], ['Neiva', '608'],
  ['Popayán', '602'], ['Tunja', '608'], ['Valledupar', '605'],
];

const CREDITORS = ['Banco Cafetero del Sur', 'Financiera La Sabana', 'Cooperativa Caribe Unido', 'Crédito Llanero S.A.'];
const PRODUCTS: readonly [string, string][] = [
  ['Tarjeta de crédito', 'TC'], ['Consumo', 'CO'], ['Libranza', 'LB'], ['Vehículo', 'VH'], ['Hipotecario', 'HP'], ['Microcrédito', 'MC'],
];
const SOURCES: readonly [string, string][] = [
  ['contrato', 'CT'], ['formulario web', 'FW'], ['llamada grabada', 'GR'], ['aplicación móvil', 'AM'],
];
const REFERENCE_RELATIONS = ['Hermana', 'Hermano', 'Madre', 'Padre', 'Amiga', 'Amigo', 'Compañero de trabajo', 'Tía', 'Primo', 'Vecina'];
const CO_RELATIONS = ['codeudor', 'avalista', 'deudor solidario'];

/** Share of debtors per segment and the days-past-due range that puts a debtor there. */
const SEGMENT_PLAN: readonly { weight: number; min: number; max: number }[] = [
  { weight: 0.15, min: -25, max: 0 },
  { weight: 0.3, min: 1, max: 30 },
  { weight: 0.25, min: 31, max: 90 },
  { weight: 0.15, min: 91, max: 180 },
  { weight: 0.15, min: 181, max: 900 },
];

type Row = Record<string, string>;

function personName(random: Random): string {
  let first: string;
  if (random.chance(0.35)) {
    const given = FIRST_NAMES.indexOf(random.pick(FIRST_NAMES));
    const second = FIRST_NAMES.indexOf(random.pick(FIRST_NAMES));
    // The second given name takes the first one's gender (same index parity), and differs from it.
    let matched = second - (second % 2) + (given % 2);
    if (matched === given) matched = (matched + 2) % FIRST_NAMES.length;
    first = `${FIRST_NAMES[given]} ${FIRST_NAMES[matched]}`;
  } else {
    first = random.pick(FIRST_NAMES);
  }
  return `${first} ${random.pick(SURNAMES)} ${random.pick(SURNAMES)}`;
}

/** Check digit of a Colombian NIT (DIAN weights, modulo 11). */
function nitCheckDigit(nit: string): number {
  const weights = [3, 7, 13, 17, 19, 23, 29, 37, 41, 43, 47, 53, 59, 67, 71];
  const sum = [...nit].reverse().reduce((total, digit, index) => total + Number(digit) * weights[index]!, 0);
  const rest = sum % 11;
  return rest > 1 ? 11 - rest : rest;
}

function withThousandDots(digits: string): string {
  return digits.replace(/\B(?=(\d{3})+(?!\d))/g, '.');
}

function documentFor(random: Random, docType: string): string {
  switch (docType) {
    case 'CC': {
      const number = random.chance(0.6) ? `10${random.digits(8)}` : `${random.int(1, 9)}${random.digits(random.int(6, 7))}`;
      return random.chance(0.2) ? withThousandDots(number) : number;
    }
    case 'CE':
      return `${random.int(1, 9)}${random.digits(random.int(5, 6))}`;
    case 'NIT': {
      const base = `${random.pick(['800', '830', '860', '900', '901'])}${random.digits(6)}`;
      return `${base}-${nitCheckDigit(base)}`;
    }
    case 'PA':
      return `${String.fromCharCode(65 + random.int(0, 25))}${String.fromCharCode(65 + random.int(0, 25))}${random.digits(6)}`;
    case 'TI':
      return `1${random.digits(9)}`;
    default:
      throw new Error(`Unknown document type ${docType}`);
  }
}

/** Writes a random mobile number in one of the ways people type it. */
function mobileText(random: Random): string {
  const number = `3${random.pick(['00', '01', '02', '04', '05', '10', '11', '12', '13', '14', '15', '16', '17', '18', '20', '21', '22', '23', '50'])}${random.digits(7)}`;
  const [a, b, c] = [number.slice(0, 3), number.slice(3, 6), number.slice(6)];
  return random.pick([number, `+57${number}`, `+57 ${a} ${b} ${c}`, `${a} ${b} ${c}`, `${a}-${b}-${c}`, `57${number}`]);
}

function landlineText(random: Random, prefix: string): string {
  const local = `${random.int(2, 8)}${random.digits(6)}`;
  return random.pick([`${prefix}${local}`, `(${prefix}) ${local.slice(0, 3)} ${local.slice(3)}`, `+57 ${prefix} ${local}`, `${prefix} ${local}`]);
}

function formatDate(epochMs: number): string {
  const date = new Date(epochMs);
  return `${String(date.getUTCDate()).padStart(2, '0')}/${String(date.getUTCMonth() + 1).padStart(2, '0')}/${date.getUTCFullYear()}`;
}

/** Pesos as Excel writes them with the Colombian locale; some cells without thousand separators. */
function formatPesos(random: Random, cents: number): string {
  const whole = String(Math.floor(cents / 100));
  const fraction = String(cents % 100).padStart(2, '0');
  return `${random.chance(0.85) ? withThousandDots(whole) : whole},${fraction}`;
}

function emailFor(random: Random, name: string): string {
  const [first, , surname] = name
    .normalize('NFD')
    .replace(/\p{Diacritic}/gu, '')
    .toLowerCase()
    .split(' ');
  return `${first}.${surname ?? 'x'}${random.int(1, 99)}@${random.pick(['ejemplo.com.co', 'correo.test', 'buzon.example'])}`;
}

function authorizationCells(random: Random, prefix: string, authorized: boolean): Row {
  if (!authorized) return { [`${prefix}_autorizado`]: random.chance(0.5) ? 'no' : '' };
  const [source, code] = random.pick(SOURCES);
  const grantedOn = Date.UTC(random.int(2019, 2026), random.int(0, 10), random.int(1, 28));
  return {
    [`${prefix}_autorizado`]: random.pick(['sí', 'Sí', 'SI', 'si']),
    [`${prefix}_fuente`]: source,
    [`${prefix}_fecha`]: formatDate(grantedOn),
    [`${prefix}_evidencia`]: `${code}-${new Date(grantedOn).getUTCFullYear()}-${random.digits(6)}`,
  };
}

function obligationCounts(random: Random): number[] {
  const counts = Array.from({ length: SAMPLE_DEBTORS }, () => 1);
  let extra = SAMPLE_OBLIGATIONS - SAMPLE_DEBTORS;
  while (extra > 0) {
    const index = random.int(0, SAMPLE_DEBTORS - 1);
    if (counts[index]! >= MAX_OBLIGATIONS_PER_DEBTOR) continue;
    counts[index]! += 1;
    extra -= 1;
  }
  return counts;
}

function planSegment(random: Random): { min: number; max: number } {
  let roll = random.next();
  for (const plan of SEGMENT_PLAN) {
    if (roll < plan.weight) return plan;
    roll -= plan.weight;
  }
  return SEGMENT_PLAN.at(-1)!;
}

/** One debtor in this many lives abroad, so the demo shows the gate on another clock. */
const ABROAD_EVERY = 200;

const ABROAD: readonly { ciudad: string; pais_residencia: string; zona_horaria: string; phone: (serial: string) => string }[] = [
  { ciudad: 'Madrid', pais_residencia: 'España', zona_horaria: 'Europe/Madrid', phone: (serial) => `+34 6${serial.slice(0, 2)} ${serial.slice(2, 5)} ${serial.slice(5, 8)}` },
  { ciudad: 'Miami', pais_residencia: 'Estados Unidos', zona_horaria: 'America/New_York', phone: (serial) => `+1 305 7${serial.slice(0, 2)} ${serial.slice(2, 6)}` },
  { ciudad: 'Ciudad de México', pais_residencia: 'México', zona_horaria: 'America/Mexico_City', phone: (serial) => `+52 55 1${serial.slice(0, 3)} ${serial.slice(3, 7)}` },
];

/** Returns the residence and foreign mobile of a debtor who lives abroad (a few, picked by position), or no cells. */
function abroadCells(debtorIndex: number, docType: string): Row {
  // A NIT is a Colombian company, so only natural persons live abroad.
  if (debtorIndex % ABROAD_EVERY !== 17 || docType === 'NIT') return {};
  const place = ABROAD[Math.floor(debtorIndex / ABROAD_EVERY) % ABROAD.length]!;
  const serial = String(10_000_000 + debtorIndex * 7_919).slice(-8);
  return { ciudad: place.ciudad, pais_residencia: place.pais_residencia, zona_horaria: place.zona_horaria, celular: place.phone(serial) };
}

/** Builds the whole file as text. */
export function renderSamplePortfolio(): string {
  const random = createRandom(SEED);
  const usedDocuments = new Set<string>();
  const obligationSerial = new Map<string, number>();
  const rows: Row[] = [];

  const uniqueDocument = (docType: string): string => {
    for (;;) {
      const number = documentFor(random, docType);
      const key = `${docType}-${number.replace(/\./g, '')}`;
      if (!usedDocuments.has(key)) {
        usedDocuments.add(key);
        return number;
      }
    }
  };

  let debtorIndex = -1;
  for (const count of obligationCounts(random)) {
    debtorIndex += 1;
    const docType = random.pick(['CC', 'CC', 'CC', 'CC', 'CC', 'CC', 'CC', 'CE', 'NIT', 'PA', 'TI']);
    const name = docType === 'NIT' ? random.pick(COMPANY_FORMS).replace('{s}', random.pick(SURNAMES)) : personName(random);
    const [city, areaPrefix] = random.pick(CITIES);

    // About one debtor in ten has no authorised phone at all, so the worklist shows blocked debtors too.
    const voiceAuthorized = random.chance(0.9);
    const hasLandline = random.chance(0.55);
    const landlineAuthorized = voiceAuthorized && hasLandline && random.chance(0.5);
    const mobileAuthorized = voiceAuthorized && (!landlineAuthorized || random.chance(0.8));
    const debtor: Row = {
      tipo_documento: docType,
      numero_documento: uniqueDocument(docType),
      nombre: name,
      ciudad: random.chance(0.95) ? city : '',
      celular: mobileText(random),
      ...authorizationCells(random, 'celular', mobileAuthorized),
    };
    if (hasLandline) Object.assign(debtor, { fijo: landlineText(random, areaPrefix) }, authorizationCells(random, 'fijo', landlineAuthorized));
    if (random.chance(0.6)) Object.assign(debtor, { correo: emailFor(random, name) }, authorizationCells(random, 'correo', random.chance(0.6)));
    if (random.chance(0.45)) Object.assign(debtor, { whatsapp: mobileText(random) }, authorizationCells(random, 'whatsapp', random.chance(0.5)));
    // Set after the random draws, so the debtors who live in Colombia are the same as in earlier files.
    Object.assign(debtor, abroadCells(debtorIndex, docType));

    const referenceCount = random.chance(0.85) ? random.int(1, 2) : 0;
    for (let slot = 1; slot <= referenceCount; slot += 1) {
      debtor[`referencia${slot}_nombre`] = personName(random);
      debtor[`referencia${slot}_relacion`] = random.pick(REFERENCE_RELATIONS);
      debtor[`referencia${slot}_telefono`] = random.chance(0.8) ? mobileText(random) : landlineText(random, areaPrefix);
    }

    const coObligor: Row | null = random.chance(0.25)
      ? {
          codeudor_tipo_documento: 'CC',
          codeudor_numero_documento: uniqueDocument('CC'),
          codeudor_nombre: personName(random),
          codeudor_relacion: random.pick(CO_RELATIONS),
          codeudor_celular: mobileText(random),
          ...authorizationCells(random, 'codeudor_celular', random.chance(0.7)),
        }
      : null;
    const coObligorRow = random.int(0, count - 1);

    const plan = planSegment(random);
    const maxDays = random.int(plan.min, plan.max);
    const writtenOff = maxDays > 180 && random.chance(0.5);
    const creditor = random.pick(CREDITORS);

    for (let index = 0; index < count; index += 1) {
      const [product, productCode] = random.pick(PRODUCTS);
      const obligationCreditor = random.chance(0.8) ? creditor : random.pick(CREDITORS);
      const serialKey = `${obligationCreditor}/${productCode}`;
      const serial = (obligationSerial.get(serialKey) ?? 100_000) + random.int(1, 40);
      obligationSerial.set(serialKey, serial);

      const days = index === 0 ? maxDays : random.int(Math.min(-25, maxDays), maxDays);
      const balanceCents = random.int(300, productCode === 'HP' ? 250_000 : 25_000) * 1000 * 100 + (random.chance(0.3) ? random.int(0, 99) : 0);
      const overdueCents = days > 0 ? Math.min(balanceCents, Math.round(balanceCents * Math.min(1, days / 240 + random.next() * 0.1))) : 0;
      const dueDate = REFERENCE_DATE - days * DAY_MS;

      rows.push({
        ...debtor,
        numero_obligacion: `${productCode}-${String(serial).padStart(8, '0')}`,
        entidad: obligationCreditor,
        producto: product,
        saldo: formatPesos(random, balanceCents),
        valor_vencido: formatPesos(random, overdueCents),
        dias_mora: String(days),
        fecha_vencimiento: formatDate(dueDate),
        castigada: writtenOff && index === 0 ? 'sí' : random.chance(0.5) ? 'no' : '',
        ...(coObligor && (index === coObligorRow || random.chance(0.4)) ? coObligor : {}),
      });
    }
  }

  const lines = [COLUMN_NAMES.join(';'), ...rows.map((row) => COLUMN_NAMES.map((column) => csvCell(row[column] ?? '')).join(';'))];
  return `\ufeff${lines.join('\r\n')}\r\n`;
}

function csvCell(value: string): string {
  return /[;"\r\n]/.test(value) ? `"${value.replace(/"/g, '""')}"` : value;
}

const isMain = process.argv[1] !== undefined && import.meta.url === pathToFileURL(process.argv[1]).href;
if (isMain) {
  const target = join(fileURLToPath(new URL('..', import.meta.url)), 'resources', 'sample-portfolio.csv');
  writeFileSync(target, renderSamplePortfolio(), 'utf8');
  console.log(`Wrote ${target}: ${SAMPLE_DEBTORS} debtors, ${SAMPLE_OBLIGATIONS} obligations.`);
}
