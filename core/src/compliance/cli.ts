/**
 * Command line for the compliance core. Operators and scripts get the same results as the
 * workstation: the holiday calendar of a year, the gate decision for one request and the R14
 * decision for a negative credit-bureau report.
 *
 *   npm run -s compliance -- calendar 2026
 *   echo '{"at":"2026-12-06T10:00:00-05:00", ...}' | npm run -s compliance -- evaluate
 *   echo '{"at":"2026-12-21T10:00:00-05:00","notices":["2026-12-01"],"debtCents":50000000}' | npm run -s compliance -- credit-report
 */
import { readFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { z } from 'zod';
import { AppError } from '../result.ts';
import { FIRST_CALENDAR_YEAR, holidaysOf } from './calendar.ts';
import { MAX_SUPPORTED_YEAR } from './civil-date.ts';
import { describeRequestIssues } from './cli-issues.ts';
import { creditReportRequestSchema, evaluateCreditReport } from './credit-report.ts';
import { evaluateGate } from './gate.ts';
import { parseRulePack } from './rule-pack.ts';
import { gateRequestSchema, type RulePack } from './types.ts';

const DEFAULT_RULE_PACK_PATH = fileURLToPath(new URL('../../../resources/rule-pack.json', import.meta.url));

const EXIT_INVALID_INPUT = 2;

const USAGE = `Uso: npm run -s compliance -- <comando> [opciones]

Comandos:
  calendar AÑO    Imprime los festivos de Colombia del AÑO (${FIRST_CALENDAR_YEAR} a ${MAX_SUPPORTED_YEAR}) con las correcciones de
                  calendario del paquete de reglas: una fecha AAAA-MM-DD por línea, en orden. Una
                  fecha con dos festivos se imprime una sola vez.
  evaluate        Lee una solicitud al control de contacto en JSON por la entrada estándar e
                  imprime su decisión en una línea JSON:
                  {"allowed", "rules", "nextAllowedAt", "reasons", "warnings", "rulePackVersion",
                  "evaluatedAt"}. La solicitud es
                  {"at": instante ISO con zona horaria,
                   "channel": "voice"|"sms"|"email"|"whatsapp"|"letter"|"visit",
                   "party": "debtor"|"co-obligor"|"reference", "authorized": booleano,
                   "history": [{"at": instante ISO, "channel": ..., "kind": "attempt"|"two-way",
                                "exempt": booleano opcional, true para un mensaje exento (R10)}]}
                  y estos campos opcionales:
                   "scheduleRequest": R9, horario pedido por la persona, que reemplaza R1-R2 si es válido:
                     {"window": [{"days": [días ISO, 1 = lunes ... 7 = domingo],
                                  "from": "HH:MM", "to": "HH:MM" o "24:00" (exclusivo), hora de Bogotá}],
                      "requestedOn": AAAA-MM-DD, "contractSignedOn": AAAA-MM-DD,
                      "evidence": texto, "consumerInitiated": booleano}
                   "exemption": R10, {"reason": "transaction-confirmation"|"fraud-alert"|
                     "savings-information"|"requested-information", "hasCollectionContent": booleano}
                   "creditType": R13, "microcredit"|"development"|"agricultural"
                   "visitAllowedFlag": R13, booleano; una "visit" lo necesita en true y un creditType
                   "personTimeZone": zona IANA de una persona en el exterior, p. ej. "Europe/Madrid";
                     el horario legal también debe cumplirse en la hora y el día local de la persona.
                   "personTimeZones": lista de zonas IANA, p. ej. todas las de un país con varias;
                     el horario legal debe cumplirse en cada una.
  credit-report   Lee {"at": instante ISO, "notices": [fechas AAAA-MM-DD en que se enviaron los
                  avisos previos], "debtCents": valor en centavos de COP} en JSON por la entrada
                  estándar e imprime en una línea JSON la decisión R14 sobre un reporte negativo a
                  centrales de riesgo: {"allowed", "rules", "nextAllowedAt", "reasons",
                  "rulePackVersion"}. El salario mínimo mensual sale del paquete de reglas
                  (monthlyMinimumWageCents).

Opciones:
  --rule-pack ARCHIVO  Paquete de reglas JSON (por defecto: resources/rule-pack.json del repositorio).
  --names              Con calendar: imprime "AAAA-MM-DD<TAB>nombre" para cada festivo.
  -h, --help           Imprime esta ayuda y termina.

Las claves JSON de entrada y de salida van en inglés, como en la API del control.
Código de salida: 0 si todo salió bien, 2 si el comando, una opción, el paquete de reglas o la
solicitud no son válidos.
`;

/** An error whose Spanish message is the whole story for the operator: printed without a stack, exit code 2. */
class InvalidInputError extends Error {}

// Validation messages name the problem in Spanish; this process is only the command line, so the
// global setting reaches no other code.
z.config(z.locales.es());

async function main(argv: readonly string[]): Promise<void> {
  const { values, positionals } = parseCommandLine(argv);
  if (values.help) {
    process.stdout.write(USAGE);
    return;
  }

  const [command, ...operands] = positionals;
  switch (command) {
    case 'calendar':
      printCalendar(operands, await loadRulePack(values['rule-pack']), values.names === true);
      return;
    case 'evaluate':
      if (operands.length > 0) throw new InvalidInputError(`evaluate no recibe argumentos y recibió "${operands.join(' ')}": envíe la solicitud por la entrada estándar.\n\n${USAGE}`);
      printDecision(await readStdin(), await loadRulePack(values['rule-pack']));
      return;
    case 'credit-report':
      if (operands.length > 0) throw new InvalidInputError(`credit-report no recibe argumentos y recibió "${operands.join(' ')}": envíe la solicitud por la entrada estándar.\n\n${USAGE}`);
      printCreditReport(await readStdin(), await loadRulePack(values['rule-pack']));
      return;
    case undefined:
      throw new InvalidInputError(`Falta el comando: use calendar, evaluate o credit-report.\n\n${USAGE}`);
    default:
      throw new InvalidInputError(`Comando desconocido: "${command}". Use calendar, evaluate o credit-report.\n\n${USAGE}`);
  }
}

function parseCommandLine(argv: readonly string[]) {
  try {
    return parseArgs({
      args: [...argv],
      allowPositionals: true,
      strict: true,
      options: {
        'rule-pack': { type: 'string' },
        names: { type: 'boolean' },
        help: { type: 'boolean', short: 'h' },
      },
    });
  } catch (error) {
    throw new InvalidInputError(`${commandLineProblem(error)}\n\n${USAGE}`);
  }
}

/** Spanish text of a `parseArgs` error, which Node words in English; the option is read from that text. */
function commandLineProblem(error: unknown): string {
  const code = typeof error === 'object' && error !== null && 'code' in error ? String(error.code) : '';
  const detail = error instanceof Error ? error.message : String(error);
  const option = /'(-[^' ]+)/.exec(detail)?.[1] ?? null;
  switch (code) {
    case 'ERR_PARSE_ARGS_UNKNOWN_OPTION':
      return `Opción desconocida: ${option ?? detail}. Las opciones son --rule-pack, --names y --help.`;
    case 'ERR_PARSE_ARGS_INVALID_OPTION_VALUE':
      return `Valor inválido para ${option ?? 'una opción'}: --rule-pack necesita la ruta de un archivo, y --names y --help no llevan valor.`;
    default:
      return `Línea de comandos inválida (${detail}).`;
  }
}

function printCalendar(operands: readonly string[], pack: RulePack, withNames: boolean): void {
  const [yearText, ...extra] = operands;
  if (yearText === undefined || extra.length > 0 || !/^\d{4}$/.test(yearText)) {
    throw new InvalidInputError(`calendar recibe un año de cuatro dígitos, p. ej. "calendar 2026", y recibió "${operands.join(' ')}".`);
  }
  const year = Number(yearText);
  if (year < FIRST_CALENDAR_YEAR || year > MAX_SUPPORTED_YEAR) {
    throw new InvalidInputError(`Año no admitido: ${year}. Use un año de ${FIRST_CALENDAR_YEAR} a ${MAX_SUPPORTED_YEAR}.`);
  }

  let holidays;
  try {
    holidays = holidaysOf(year, pack.calendarCorrections);
  } catch (error) {
    if (error instanceof RangeError) throw new InvalidInputError(`No se pudo calcular el calendario de ${year} (detalle: ${error.message}).`);
    throw error;
  }

  const lines = withNames ? holidays.map((holiday) => `${holiday.date}\t${holiday.name}`) : [...new Set(holidays.map((holiday) => holiday.date))];
  process.stdout.write(lines.map((line) => `${line}\n`).join(''));
}

function printDecision(input: string, pack: RulePack): void {
  const request = parseRequest(input, gateRequestSchema);

  let decision;
  try {
    decision = evaluateGate(request, pack);
  } catch (error) {
    if (error instanceof RangeError) throw new InvalidInputError(`Solicitud inválida (detalle: ${error.message}).`);
    throw error;
  }

  // The three fields scripts rely on come first; the rest follow in the contract's order.
  const { allowed, rules, nextAllowedAt, ...details } = decision;
  process.stdout.write(`${JSON.stringify({ allowed, rules, nextAllowedAt, ...details })}\n`);
}

/** The wage is not read from stdin: it comes from the rule pack, like every legal setting. */
const creditReportInputSchema = creditReportRequestSchema.omit({ monthlyMinimumWageCents: true });

function printCreditReport(input: string, pack: RulePack): void {
  const request = parseRequest(input, creditReportInputSchema);

  let decision;
  try {
    decision = evaluateCreditReport({ ...request, monthlyMinimumWageCents: pack.monthlyMinimumWageCents });
  } catch (error) {
    if (error instanceof RangeError) throw new InvalidInputError(`Solicitud inválida (detalle: ${error.message}).`);
    throw error;
  }
  process.stdout.write(`${JSON.stringify({ ...decision, rulePackVersion: pack.version })}\n`);
}

/** Parses stdin as JSON against `schema`, naming every invalid field in the error. */
function parseRequest<Schema extends z.ZodType>(input: string, schema: Schema): z.infer<Schema> {
  let raw: unknown;
  try {
    raw = JSON.parse(input);
  } catch (error) {
    throw new InvalidInputError(
      `Solicitud inválida: la entrada estándar no es JSON válido (${error instanceof Error ? error.message : String(error)}). Envíe un objeto JSON.`,
    );
  }

  const parsed = schema.safeParse(raw);
  if (!parsed.success) throw new InvalidInputError(`Solicitud inválida. ${describeRequestIssues(raw, parsed.error.issues)}`);
  return parsed.data;
}

async function loadRulePack(path: string | undefined): Promise<RulePack> {
  const file = path ?? DEFAULT_RULE_PACK_PATH;

  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (error) {
    throw new InvalidInputError(
      `No se pudo leer el paquete de reglas "${file}" (${error instanceof Error ? error.message : String(error)}). Revise la ruta de --rule-pack.`,
    );
  }

  try {
    return parseRulePack(JSON.parse(text));
  } catch (error) {
    if (error instanceof SyntaxError) throw new InvalidInputError(`El paquete de reglas "${file}" no es JSON válido (${error.message}).`);
    if (error instanceof AppError) throw new InvalidInputError(`El paquete de reglas "${file}" no es válido: ${error.message}`);
    throw error;
  }
}

async function readStdin(): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of process.stdin) chunks.push(typeof chunk === 'string' ? Buffer.from(chunk) : (chunk as Buffer));
  return Buffer.concat(chunks).toString('utf8');
}

try {
  await main(process.argv.slice(2));
} catch (error) {
  if (error instanceof InvalidInputError) {
    process.stderr.write(`compliance: ${error.message}\n`);
    process.exitCode = EXIT_INVALID_INPUT;
  } else {
    process.stderr.write(`compliance: error inesperado: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
    process.exitCode = 1;
  }
}
