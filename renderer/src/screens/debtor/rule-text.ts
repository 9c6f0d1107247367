/**
 * Appends a rule id in brackets to a gate message, unless the message already names it, because
 * most gate messages end with their rule ("…fuera de horario (R1).") and a second "(R1)" reads as a slip.
 */
export function withRuleId(message: string, rule: string): string {
  return message.includes(rule) ? message : `${message} (${rule})`;
}
