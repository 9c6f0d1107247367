/** Spanish (es-CO) labels of the codes that alarms and evidence exports show to team leads. */
import type { PartyRole, Product } from '@gestiona/core/domain';
import { assertNever } from '@gestiona/core/result';
import type { AlarmKind } from '../store/types.ts';

// Channel names come from the gate's own messages, so alarms and reasons name a channel alike.
export { channelLabel } from '@gestiona/core/compliance/messages';

export function partyRoleLabel(role: PartyRole): string {
  switch (role) {
    case 'debtor':
      return 'titular';
    case 'co-obligor':
      return 'codeudor';
    case 'reference':
      return 'referencia personal';
    default:
      return assertNever(role, 'party role');
  }
}

export function alarmKindLabel(kind: AlarmKind): string {
  switch (kind) {
    case 'chain-gap':
      return 'Faltan decisiones en la cadena';
    case 'chain-broken':
      return 'Cadena de decisiones rota';
    case 'chain-edited':
      return 'Decisión modificada';
    case 'violation':
      return 'Posible infracción de la Ley 2300';
    case 'clock':
      return 'Reloj no confiable';
    default:
      return assertNever(kind, 'alarm kind');
  }
}

export function productLabel(product: Product): string {
  switch (product) {
    case 'credit-card':
      return 'Tarjeta de crédito';
    case 'consumer-loan':
      return 'Consumo (libre inversión)';
    case 'payroll-loan':
      return 'Libranza';
    case 'vehicle':
      return 'Vehículo';
    case 'mortgage':
      return 'Hipotecario (vivienda)';
    case 'microcredit':
      return 'Microcrédito';
    default:
      return assertNever(product, 'product');
  }
}
