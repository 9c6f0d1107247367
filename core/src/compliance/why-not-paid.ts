/**
 * R11 (Ley 2300 de 2023, art. 7): scripts and typification forms must not ask why the person did not
 * pay. Asking about payment alternatives is allowed, and a hardship the person mentions unprompted
 * may be recorded. So the detector looks, clause by clause, for a question about the reason together
 * with a word for not paying, rather than for either alone.
 */

/** A letter, so that word edges work for accented words, where `\b` does not. */
const L = '\\p{L}';
const START = `(?<!${L})`;
const END = `(?!${L})`;

/** Words for not paying: "no ha pagado", "dejó de pagar", "no ha realizado el pago", "incumplimiento", "mora", "atraso" … */
const NOT_PAYING = [
  `${START}no\\s+(?:(?:ha|haya|han|hayan|he|hemos|había|habia|hubiera)\\s+)?(?:(?:pod\\p{L}*|pud\\p{L}*|pued\\p{L}*|logr\\p{L}*)\\s+)?(?:pag|cancel|abon|cumpl|consign)${L}*`,
  `${START}dej${L}*\\s+de\\s+(?:pagar|cancelar|abonar|cumplir)`,
  `${START}no\\s+(?:(?:ha|haya|han|hayan|he|hemos|había|habia|hubiera)\\s+)?(?:realiz|hech|hizo|hice|efectu|hac)${L}*\\s+(?:(?:el|los|su|sus|ningún|ningun)\\s+)?(?:pago|abono|consignaci[oó]n)`,
  `${START}impago${L}*`,
  `${START}incumpl${L}*`,
  `${START}mora${END}`,
  `${START}atras(?:o|os|ó|ado|ada|ados|adas|arse|aron)${END}`,
  `${START}retras${L}*`,
  `${START}falta\\s+de\\s+pago`,
  `${START}sin\\s+pagar`,
].join('|');

/**
 * "Why" forms. "Por qué" followed by a noun such as "medio" or "canal" means "by which" and is left
 * out; "porque" (because) never matches.
 */
const WHY_LEAD = [
  `${START}por\\s+qué${END}(?!\\s+(?:medio|canal|v[ií]a|forma|valor|monto|cantidad|fecha|d[ií]a|hora|n[uú]mero|opci[oó]n|alternativa|plazo|banco|entidad|producto|cuota|acuerdo)${END})`,
  `${START}porqué${END}`,
  `${START}a\\s+qu[eé]\\s+se\\s+deb${L}*`,
  `${START}qu[eé]\\s+(?:le\\s+|les\\s+)?(?:pas[oó]|sucedi[oó]|ocurri[oó])${END}`,
  `${START}qu[eé]\\s+(?:lo|la|le|los|las|les)\\s+(?:llev[oó]|hizo|motiv[oó])${END}`,
  `${START}c[oó]mo\\s+as[ií]\\s+que${END}`,
].join('|');

/** "Por que" without the accent is read as "why" only inside a question, because it is often a misspelt "porque". */
const UNACCENTED_WHY = `${START}por\\s+que${END}`;

/** "¿Qué le impidió pagar?" is a question about the reason without a word for not paying. */
const PREVENTED_FROM_PAYING = `${START}(?:impidi[oó]|imposibilit[oó])\\s+(?:${L}+\\s+){0,2}?(?:pag|cancel|abon|cumpl|poners)${L}*`;

/** "Motivo del incumplimiento", "razón de su mora", "causal de no pago", "razón por la cual no ha pagado" … */
const REASON_OF_NOT_PAYING =
  `${START}(?:motivo|raz[oó]n|causa|causal|explicaci[oó]n|porqué)(?:s|es)?${END}` +
  `(?:\\s+(?:de|del|de\\s+la|de\\s+su|de\\s+sus|de\\s+los|de\\s+las|por\\s+(?:el|la|lo)\\s+(?:cual|que)|por\\s+qu[eé]|para)${END})?` +
  `\\s+(?:${L}+\\s+){0,3}?(?:${NOT_PAYING})`;

/** Verbs that ask the person to tell something: "explíqueme", "cuénteme", "indíquenos", "queremos saber" … */
const ASKING = `${START}(?:expl[ií]qu${L}*|cu[eé]nte${L}*|ind[ií]qu${L}*|d[ií]ga${L}*|inf[oó]rm[eé]${L}*|com[eé]nte${L}*|contar${L}*|saber|decir${L}*|aclar[eé]${L}*|precis[eé]${L}*|especifiq${L}*)${END}`;

const notPaying = new RegExp(NOT_PAYING, 'u');
const whyLead = new RegExp(`(?:${WHY_LEAD})`, 'u');
const unaccentedWhy = new RegExp(UNACCENTED_WHY, 'u');
const preventedFromPaying = new RegExp(PREVENTED_FROM_PAYING, 'u');
const reasonOfNotPaying = new RegExp(REASON_OF_NOT_PAYING, 'u');
const asking = new RegExp(ASKING, 'u');

/**
 * How to read the text. `script` is what an agent reads aloud, where a mention of the reason is a
 * problem only inside a question or after a verb such as "cuénteme". `label` is a form field label,
 * which by its nature makes the agent find out and record the value.
 */
export type WhyNotPaidMode = 'script' | 'label';

/**
 * Returns the first clause of `text` that asks why the person did not pay, trimmed, or null when
 * there is none. Clauses end at `.`, `!`, `?`, `;`, `:` and line breaks.
 */
export function findWhyNotPaidQuestion(text: string, mode: WhyNotPaidMode = 'script'): string | null {
  for (const clause of clausesOf(text)) {
    if (asksWhyNotPaid(clause.text.toLowerCase(), clause.question, mode)) return clause.text.trim();
  }
  return null;
}

function asksWhyNotPaid(clause: string, question: boolean, mode: WhyNotPaidMode): boolean {
  const why = whyLead.exec(clause) ?? (question ? unaccentedWhy.exec(clause) : null);
  if (why !== null && notPaying.test(clause.slice(why.index))) return true;

  if (/(?<!\p{L})qu[eé]\s+(?:le|les|lo|la|los|las)\s+/u.test(clause) && preventedFromPaying.test(clause)) return true;

  if (!reasonOfNotPaying.test(clause)) return false;
  return mode === 'label' || question || asking.test(clause);
}

interface Clause {
  text: string;
  /** The clause ends with `?` or contains `¿`. */
  question: boolean;
}

function clausesOf(text: string): Clause[] {
  const clauses: Clause[] = [];
  for (const match of text.matchAll(/([^.!?;:\n]*)([.!?;:\n]|$)/gu)) {
    const body = match[1] ?? '';
    if (body.trim() === '') continue;
    clauses.push({ text: body, question: match[2] === '?' || body.includes('¿') });
  }
  return clauses;
}
