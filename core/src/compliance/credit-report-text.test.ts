import { describe, expect, it } from 'vitest';
import { findCreditReportMention } from './credit-report-text.ts';

describe('findCreditReportMention', () => {
  it.each([
    ['Si no paga, {{entidad}} puede reportarla a las centrales de riesgo.', 'centrales de riesgo'],
    ['La central de riesgo registrará la mora.', 'central de riesgo'],
    ['Se informará a la Central de Información Financiera.', 'Central de Información Financiera'],
    ['Se generará un reporte negativo.', 'reporte negativo'],
    ['Lo reportaremos negativamente ante las entidades.', 'reportaremos negativamente'],
    ['Será reportado en Datacrédito.', 'Datacrédito'],
    ['Quedará registrado en DATACREDITO y TransUnion.', 'DATACREDITO'],
    ['Consulte su historial en Data Crédito.', 'Data Crédito'],
    ['Su caso irá a Trans Union.', 'Trans Union'],
    ['Su información irá a la CIFIN.', 'CIFIN'],
    ['Experian tendrá el reporte.', 'Experian'],
    ['Lo reportaremos a los operadores de información.', 'operadores de información'],
    ['Esto afectará su historial crediticio.', 'historial crediticio'],
    ['Cuide su vida crediticia.', 'vida crediticia'],
    ['Quedará en el buró de crédito.', 'buró de crédito'],
  ])('finds the report in "%s"', (text, mention) => {
    expect(findCreditReportMention(text)).toBe(mention);
  });

  it.each([
    'Le recordamos su cuota del mes.',
    'Reportamos su pago como recibido.',
    'Tenemos datos de crédito actualizados.',
    'Es importante resolverlo ahora.',
    'Su tarjeta de crédito tiene un saldo vencido.',
    'El riesgo de seguir en mora es que crezcan los intereses.',
    'Puede consultar la información de su obligación en la oficina central.',
    'Centralizamos sus pagos en una sola cuota.',
  ])('finds nothing in "%s"', (text) => {
    expect(findCreditReportMention(text)).toBeNull();
  });
});
