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
import type { z } from 'zod';
import { AppError } from '../result.ts';
import { holidaysOf } from './calendar.ts';
import { creditReportRequestSchema, evaluateCreditReport } from './credit-report.ts';
import { evaluateGate } from './gate.ts';
import { parseRulePack } from './rule-pack.ts';
import { gateRequestSchema, type RulePack } from './types.ts';

const DEFAULT_RULE_PACK_PATH = fileURLToPath(new URL('../../../resources/rule-pack.json', import.meta.url));

const EXIT_INVALID_INPUT = 2;

const USAGE = `Usage: npm run -s compliance -- <command> [options]

Commands:
  calendar YEAR   Print the Colombian public holidays of YEAR (1984 to 9999) with the rule pack's
                  calendar corrections applied: one YYYY-MM-DD date per line, in order. A date with
                  two holidays is printed once.
  evaluate        Read one gate request as JSON on stdin and print its decision as one JSON line:
                  {"allowed", "rules", "nextAllowedAt", "reasons", "warnings", "rulePackVersion",
                  "evaluatedAt"}. The request is
                  {"at": ISO instant with offset,
                   "channel": "voice"|"sms"|"email"|"whatsapp"|"letter"|"visit",
                   "party": "debtor"|"co-obligor"|"reference", "authorized": boolean,
                   "history": [{"at": ISO instant, "channel": ..., "kind": "attempt"|"two-way",
                                "exempt": optional boolean, true for an R10 exempt message}]}
                  plus these optional fields:
                   "scheduleRequest": R9, the person's own hours, replacing R1-R2 when valid:
                     {"window": [{"days": [ISO weekdays, 1 = Monday ... 7 = Sunday],
                                  "from": "HH:MM", "to": "HH:MM" or "24:00" (exclusive), Bogota time}],
                      "requestedOn": YYYY-MM-DD, "contractSignedOn": YYYY-MM-DD,
                      "evidence": text, "consumerInitiated": boolean}
                   "exemption": R10, {"reason": "transaction-confirmation"|"fraud-alert"|
                     "savings-information"|"requested-information", "hasCollectionContent": boolean}
                   "creditType": R13, "microcredit"|"development"|"agricultural"
                   "visitAllowedFlag": R13, boolean; a "visit" needs it true and a creditType
                   "personTimeZone": IANA zone of a person abroad, e.g. "Europe/Madrid"; the
                     legal hours must then also hold on the person's clock and local day.
  credit-report   Read {"at": ISO instant, "notices": [YYYY-MM-DD dates the prior notices were
                  sent], "debtCents": amount in COP centavos} as JSON on stdin and print the R14
                  decision for a negative credit-bureau report as one JSON line:
                  {"allowed", "rules", "nextAllowedAt", "reasons", "rulePackVersion"}. The monthly
                  minimum wage comes from the rule pack (monthlyMinimumWageCents).

Options:
  --rule-pack FILE  Rule pack JSON to use (default: resources/rule-pack.json in the repository).
  --names           With calendar: print "YYYY-MM-DD<TAB>name" for every holiday instead.
  -h, --help        Print this help and exit.

Exit status: 0 on success, 2 on an invalid command, option, rule pack or request.
`;

/** An error whose message is the whole story for the operator: printed without a stack, exit code 2. */
class InvalidInputError extends Error {}

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
      if (operands.length > 0) throw new InvalidInputError(`evaluate takes no operands, got "${operands.join(' ')}"; pass the request on stdin\n\n${USAGE}`);
      printDecision(await readStdin(), await loadRulePack(values['rule-pack']));
      return;
    case 'credit-report':
      if (operands.length > 0) throw new InvalidInputError(`credit-report takes no operands, got "${operands.join(' ')}"; pass the request on stdin\n\n${USAGE}`);
      printCreditReport(await readStdin(), await loadRulePack(values['rule-pack']));
      return;
    case undefined:
      throw new InvalidInputError(`missing command\n\n${USAGE}`);
    default:
      throw new InvalidInputError(`unknown command "${command}"\n\n${USAGE}`);
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
    throw new InvalidInputError(`${error instanceof Error ? error.message : String(error)}\n\n${USAGE}`);
  }
}

function printCalendar(operands: readonly string[], pack: RulePack, withNames: boolean): void {
  const [yearText, ...extra] = operands;
  if (yearText === undefined || extra.length > 0 || !/^\d{4}$/.test(yearText)) {
    throw new InvalidInputError(`calendar takes one year as four digits, e.g. "calendar 2026"; got "${operands.join(' ')}"`);
  }

  let holidays;
  try {
    holidays = holidaysOf(Number(yearText), pack.calendarCorrections);
  } catch (error) {
    if (error instanceof RangeError) throw new InvalidInputError(error.message);
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
    if (error instanceof RangeError) throw new InvalidInputError(`invalid request: ${error.message}`);
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
    if (error instanceof RangeError) throw new InvalidInputError(`invalid request: ${error.message}`);
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
    throw new InvalidInputError(`invalid request: stdin is not valid JSON (${error instanceof Error ? error.message : String(error)}); send one JSON object`);
  }

  const parsed = schema.safeParse(raw);
  if (!parsed.success) {
    const problems = parsed.error.issues.map((issue) => {
      const field = issue.path.length === 0 ? '(request)' : issue.path.join('.');
      return `field "${field}": ${issue.message}${describeReceived(valueAt(raw, issue.path))}`;
    });
    throw new InvalidInputError(`invalid request: ${problems.join('; ')}`);
  }
  return parsed.data;
}

function describeReceived(value: unknown): string {
  const text = value === undefined ? undefined : JSON.stringify(value);
  if (text === undefined) return '';
  return ` (received ${text.length > 60 ? `${text.slice(0, 57)}...` : text})`;
}

function valueAt(root: unknown, path: readonly PropertyKey[]): unknown {
  let value: unknown = root;
  for (const segment of path) {
    if (value === null || typeof value !== 'object') return undefined;
    value = (value as Record<PropertyKey, unknown>)[segment];
  }
  return value;
}

async function loadRulePack(path: string | undefined): Promise<RulePack> {
  const file = path ?? DEFAULT_RULE_PACK_PATH;

  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (error) {
    throw new InvalidInputError(`cannot read rule pack "${file}": ${error instanceof Error ? error.message : String(error)}`);
  }

  try {
    return parseRulePack(JSON.parse(text));
  } catch (error) {
    if (error instanceof SyntaxError) throw new InvalidInputError(`rule pack "${file}" is not valid JSON: ${error.message}`);
    if (error instanceof AppError) throw new InvalidInputError(`rule pack "${file}" is invalid: ${error.message}`);
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
    process.stderr.write(`compliance: unexpected error: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
    process.exitCode = 1;
  }
}
