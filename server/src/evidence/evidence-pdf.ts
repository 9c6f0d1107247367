/**
 * The evidence export as a PDF for people (a complaint file before the SFC or the SIC): Spanish,
 * Bogotá times `dd/mm/aaaa HH:mm`, COP amounts, one table per section. Every value from the
 * portfolio file or the workstation is written as plain text, never as a link or markup.
 */
import PDFDocument from 'pdfkit';
import { formatDateTime } from '@gestiona/core/format';
import type { DebtorEvidence, EvidenceContact, EvidenceDecision } from './types.ts';

export interface EvidencePdfOptions {
  /** Deflate the page streams (default true). Tests turn it off to search the text. */
  compress?: boolean;
}

const FONT = 'Helvetica';
const FONT_BOLD = 'Helvetica-Bold';
const BODY_SIZE = 8;

/** Control characters other than the line feed could hide text or garble a row; they become spaces. */
// eslint-disable-next-line no-control-regex -- matching control characters is the purpose of this pattern.
const plain = (text: string | null | undefined): string => (text ?? '').replace(/[\u0000-\u0009\u000b-\u001f\u007f-\u009f]/g, ' ');

const yesNo = (value: boolean): string => (value ? 'Sí' : 'No');

const percentFormat = new Intl.NumberFormat('es-CO', { maximumFractionDigits: 2 });

function decisionText(decision: EvidenceDecision | null): string {
  if (decision === null) return 'Sin datos';
  if (decision.allowed) return `Permitido (${decision.rulePackVersion})`;
  return `Bloqueado: ${decision.rules.join(', ')} (${decision.rulePackVersion})`;
}

export function renderEvidencePdf(evidence: DebtorEvidence, options: EvidencePdfOptions = {}): Promise<Buffer> {
  const doc = new PDFDocument({
    size: 'A4',
    layout: 'landscape',
    margin: 36,
    compress: options.compress ?? true,
    info: { Title: `Evidencia de cumplimiento — ${plain(evidence.debtor.fullName)}`, Author: 'Gestiona', CreationDate: new Date(evidence.exportedAt.iso) },
  });
  const chunks: Buffer[] = [];
  doc.on('data', (chunk: Buffer) => chunks.push(chunk));
  const finished = new Promise<Buffer>((resolve, reject) => {
    doc.on('end', () => resolve(Buffer.concat(chunks)));
    doc.on('error', reject);
  });

  const heading = (text: string) => {
    doc.moveDown(0.8).font(FONT_BOLD).fontSize(11).text(text, doc.page.margins.left).font(FONT).fontSize(BODY_SIZE).moveDown(0.3);
  };
  const line = (text: string) => doc.font(FONT).fontSize(BODY_SIZE).text(plain(text), doc.page.margins.left);
  const table = (header: string[], rows: string[][]) => {
    if (rows.length === 0) {
      line('Ninguno.');
      return;
    }
    doc.font(FONT).fontSize(BODY_SIZE);
    doc.table({
      position: { x: doc.page.margins.left },
      defaultStyle: { padding: 2 },
      data: [header.map((text) => ({ text, type: 'TH' as const, font: { family: FONT_BOLD } })), ...rows.map((row) => row.map(plain))],
    });
  };

  const { debtor } = evidence;
  doc.font(FONT_BOLD).fontSize(14).text('Evidencia de cumplimiento — Ley 2300 de 2023');
  doc.font(FONT).fontSize(9);
  doc.text(`Exportada el ${evidence.exportedAt.text} (hora de Bogotá). Paquete de reglas vigente al exportar: ${evidence.rulePackVersion ?? 'ninguno publicado'}. Cada contacto se reevalúa con el paquete y el horario solicitado vigentes en su fecha.`);

  heading('Deudor');
  line(`${debtor.fullName} — ${debtor.docType} ${debtor.docNumber}${debtor.city === null ? '' : ` — ${debtor.city}`} — identificador ${debtor.id}`);
  table(
    ['Entidad', 'Obligación', 'Producto', 'Saldo', 'Valor vencido', 'Días de mora'],
    debtor.obligations.map((obligation) => [obligation.creditor, obligation.number, obligation.productLabel, obligation.balanceText, obligation.overdueText, String(obligation.daysPastDue)]),
  );

  heading('Personas');
  table(['Nombre', 'Calidad', 'Relación'], debtor.persons.map((person) => [person.fullName, person.roleLabel, person.relation ?? '']));

  heading('Autorizaciones de canal');
  table(
    ['Persona', 'Canal', 'Dirección', 'Fuente', 'Fecha', 'Evidencia', 'Revocada', 'Marcado'],
    evidence.authorizations.map((auth) => [
      auth.personName,
      auth.channelLabel,
      auth.address,
      auth.source ?? 'Sin autorización',
      auth.grantedOn === null ? '' : auth.grantedOn.split('-').reverse().join('/'),
      auth.evidence ?? '',
      auth.revokedAt?.text ?? 'No',
      auth.flagged ?? '',
    ]),
  );

  heading('Avisos de reporte y gastos de cobranza');
  table(
    ['Entidad', 'Obligación', 'Avisos previos', 'Reporte (R14)', 'Tabla de gastos', 'Gastos de cobranza (R15)'],
    evidence.obligationTerms.map((terms) => [
      terms.creditor,
      terms.number,
      terms.noticesText,
      terms.creditReport?.text ?? 'Sin paquete de reglas publicado',
      terms.collectionFee === null
        ? 'No registrada'
        : `${percentFormat.format(terms.collectionFee.schedulePercent)} %; informada: ${yesNo(terms.collectionFee.disclosedToDebtor)}; cobro judicial: ${yesNo(terms.collectionFee.inLitigation)}`,
      terms.collectionFee?.text ?? 'No se pueden cobrar gastos sin tabla registrada (R15).',
    ]),
  );
  if (evidence.collectionFees.length > 0) {
    line('Gastos de cobranza registrados en tipificaciones:');
    table(
      ['Fecha y hora', 'Tipificación', 'Gastos'],
      evidence.collectionFees.map((fee) => [formatDateTime(fee.dialedAt), fee.code, fee.feeText]),
    );
  }

  heading('Contactos e intentos');
  table(
    ['Fecha y hora', 'Canal', 'Persona', 'Agente', 'Estación', 'Tipificación', 'Decisión de la estación', 'Reevaluación del servidor'],
    evidence.contacts.map((contact) => [
      contact.dialedAt.text,
      contact.channelLabel,
      contact.personName,
      contact.agentName,
      contact.workstationId,
      typificationText(contact),
      decisionText(contact.workstationDecision),
      decisionText(contact.serverDecision),
    ]),
  );

  heading('Decisiones sin contacto registrado');
  table(
    ['Fecha y hora', 'Canal', 'Persona', 'Agente', 'Estación', 'Decisión', 'Registro de cadena'],
    evidence.attemptsWithoutContact.map((decision) => [
      decision.trustedAt.text,
      decision.channelLabel,
      decision.personName,
      decision.agentName,
      decision.workstationId,
      decisionText(decision),
      decision.chainIndex === null ? 'Sin enlace' : String(decision.chainIndex),
    ]),
  );

  heading('Alarmas');
  table(
    ['Fecha y hora', 'Tipo', 'Estación', 'Mensaje', 'Revisada'],
    evidence.alarms.map((alarm) => [
      alarm.createdAt.text,
      alarm.kindLabel,
      alarm.workstationId,
      alarm.message,
      alarm.acknowledgedAt === null ? 'No' : `${alarm.acknowledgedBy ?? ''} ${alarm.acknowledgedAt.text}`.trim(),
    ]),
  );

  heading('Consultas del expediente');
  line('Quién abrió el expediente del deudor en una estación (Ley 1581), con la hora de confianza de la estación.');
  table(
    ['Fecha y hora', 'Agente', 'Estación', 'Deudor asignado', 'Motivo'],
    evidence.fileViews.map((view) => [view.viewedAt.text, view.agentName, view.workstationId, yesNo(view.leased), view.reasonText ?? '']),
  );

  heading('Verificación de las cadenas de decisiones');
  table(
    ['Estación', 'Decisiones encadenadas', 'Sin enlace', 'Íntegra', 'Resultado'],
    evidence.chains.map((chain) => [
      chain.workstationId,
      String(chain.chainedDecisions),
      String(chain.unchainedDecisions),
      yesNo(chain.ok),
      chain.problem?.message ?? (chain.headIndex === null ? 'Sin decisiones encadenadas.' : `Íntegra hasta el registro ${chain.headIndex}.`),
    ]),
  );

  doc.end();
  return finished;
}

/** The code, the R12 identity check when one was recorded, and the agent's note. */
function typificationText(contact: EvidenceContact): string {
  const lines = [`${contact.code} — ${contact.codeLabel}`];
  if (contact.identityConfirmedAt !== null) lines.push(`Identidad confirmada: ${contact.identityConfirmedAt.text}`);
  if (contact.note !== null) lines.push(`Nota: ${contact.note}`);
  if (contact.scriptPath) lines.push(contact.scriptPath.text);
  return lines.join('\n');
}
