/**
 * Finds script text that announces a negative report to the credit bureaus. Under R14 such a line
 * may be read to the debtor only 20 calendar days after the prior notice (two notices for small
 * debts), so a script step that contains one must be marked for it, and the workstation locks the
 * marked step until `evaluateCreditReport` allows the report.
 */

/** A letter, so that word edges work for accented words, where `\b` does not. */
const L = '\\p{L}';
const START = `(?<!${L})`;
const END = `(?!${L})`;

/**
 * Names of the bureaus and of the report: "centrales de riesgo", "central de información
 * financiera", "operadores de información", "reporte negativo", "reportado negativamente",
 * "Datacrédito", "TransUnion", "CIFIN" (TransUnion's former name), "Experian" (Datacrédito's
 * owner), "buró de crédito" and "historial crediticio", in any letter case and with or without
 * the accents agents often drop.
 */
const ANNOUNCEMENTS = [
  `central(?:es)?\\s+de\\s+(?:riesgos?|informaci[oó]n(?:\\s+financiera)?)`,
  `operador(?:es)?\\s+de\\s+(?:bancos\\s+de\\s+datos\\s+de\\s+)?informaci[oó]n`,
  `reportes?\\s+negativos?`,
  `report${L}*\\s+(?:${L}+\\s+){0,3}?negativamente`,
  `data\\s*-?\\s*cr[eé]dito`,
  `trans\\s*-?\\s*uni[oó]n`,
  `cifin`,
  `experian`,
  `bur[oó]s?\\s+de\\s+cr[eé]dito`,
  `(?:historial|historia|vida)\\s+creditici[oa]`,
  `historial\\s+de\\s+cr[eé]dito`,
];

const ANNOUNCEMENT = new RegExp(`${START}(?:${ANNOUNCEMENTS.join('|')})${END}`, 'iu');

/** Returns the first words of `text` that announce a credit-bureau report, as written, or null when there are none. */
export function findCreditReportMention(text: string): string | null {
  const match = ANNOUNCEMENT.exec(text);
  return match === null ? null : match[0];
}
