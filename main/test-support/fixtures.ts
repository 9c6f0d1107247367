/** Domain fixtures for workstation tests: a catalog like the shipped default, scripts and debtors. */
import type { Catalog } from '@gestiona/core/catalog';
import type { DebtorSnapshot } from '@gestiona/core/domain';
import type { Script } from '@gestiona/core/script';
import type { FeedEntry } from '@gestiona/core/sync';

export const TEST_CATALOG: Catalog = {
  version: 'test-1',
  codes: [
    {
      code: 'PP',
      label: 'Promesa de pago',
      group: 'Contacto directo',
      class: 'two-way',
      fields: [
        { name: 'amount', label: 'Valor prometido', type: 'amount', required: true },
        { name: 'date', label: 'Fecha de pago', type: 'date', required: true, when: 'today-or-later', maxDaysAhead: 30 },
      ],
      effects: ['create-promise'],
      shortcut: 'p',
      retired: false,
    },
    {
      code: 'VL',
      label: 'Volver a llamar',
      group: 'Contacto directo',
      class: 'two-way',
      fields: [{ name: 'callbackAt', label: 'Fecha y hora de la nueva llamada', type: 'datetime', required: true }],
      effects: ['schedule-callback'],
      shortcut: 'v',
      retired: false,
    },
    {
      code: 'RA',
      label: 'Revoca autorización del canal',
      group: 'Contacto directo',
      class: 'two-way',
      fields: [{ name: 'channel', label: 'Canal', type: 'channel', required: true }],
      effects: ['revoke-authorization'],
      shortcut: 'r',
      retired: false,
    },
    { code: 'NE', label: 'Número equivocado', group: 'Contacto con tercero', class: 'third-party', fields: [], effects: ['flag-number'], shortcut: 'e', retired: false },
    { code: 'NC', label: 'No contesta', group: 'Sin contacto', class: 'attempt', fields: [], effects: [], shortcut: 'n', retired: false },
    { code: 'XX', label: 'Código retirado', group: 'Sin contacto', class: 'attempt', fields: [], effects: [], shortcut: null, retired: true },
  ],
};

export const TEST_SCRIPT: Script = {
  id: 'guion-temprana',
  version: '1',
  name: 'Temprana',
  segment: 'temprana',
  steps: [
    { id: 'saludo', kind: 'greeting', title: 'Saludo', text: 'Buenos días, ¿hablo con {{nombre}}? Le saluda {{agente}}.' },
    { id: 'identidad', kind: 'identity-check', title: 'Identidad', text: 'Confirme el documento de {{primer_nombre}}.' },
    { id: 'motivo', kind: 'reason', title: 'Motivo', text: 'Tiene un saldo vencido de {{valor_vencido}} con {{entidad}}.' },
  ],
};

/** Builds a debtor leased until 2099 with an authorised mobile, an unauthorised landline, a co-obligor and a reference. */
export function makeDebtor(id: string, overrides: Partial<DebtorSnapshot> = {}): DebtorSnapshot {
  return {
    id,
    docType: 'CC',
    docNumber: `10${id.replace(/\D/g, '').padStart(8, '0')}`,
    fullName: 'María Peña Báez',
    city: 'Bogotá',
    segment: 'temprana',
    priority: 50,
    scriptId: TEST_SCRIPT.id,
    leaseUntil: '2099-01-01T00:00:00-05:00',
    obligations: [
      {
        id: `${id}-o1`,
        creditor: 'Banco Andino',
        number: '4500-1',
        product: 'credit-card',
        balanceCents: 250_000_000,
        overdueCents: 40_000_000,
        daysPastDue: 25,
        dueDate: '2026-01-15',
        writtenOff: false,
      },
    ],
    persons: [
      { id: `${id}-p1`, role: 'debtor', docType: 'CC', docNumber: '1020304050', fullName: 'María Peña Báez', relation: null },
      { id: `${id}-p2`, role: 'co-obligor', docType: 'CC', docNumber: '79111222', fullName: 'Jorge Muñoz', relation: 'codeudor' },
      { id: `${id}-p3`, role: 'reference', docType: null, docNumber: null, fullName: 'Ana Ruiz', relation: 'hermana' },
    ],
    contactPoints: [
      {
        id: `${id}-c1`,
        personId: `${id}-p1`,
        channel: 'voice',
        address: '+573001234567',
        authorization: { source: 'contrato', grantedOn: '2024-05-10', evidence: 'DOC-1', revokedAt: null },
        flagged: null,
      },
      { id: `${id}-c2`, personId: `${id}-p1`, channel: 'voice', address: '+576015550000', authorization: null, flagged: null },
      {
        id: `${id}-c3`,
        personId: `${id}-p2`,
        channel: 'voice',
        address: '+573109876543',
        authorization: { source: 'pagaré', grantedOn: '2024-05-10', evidence: 'DOC-2', revokedAt: null },
        flagged: null,
      },
      {
        id: `${id}-c4`,
        personId: `${id}-p3`,
        channel: 'voice',
        address: '+573205551234',
        authorization: { source: 'solicitud', grantedOn: '2024-05-10', evidence: 'DOC-3', revokedAt: null },
        flagged: null,
      },
    ],
    ...overrides,
  };
}

/** Feed entries that give a fresh workstation its reference data and the given debtors. */
export function seedEntries(debtors: readonly DebtorSnapshot[]): FeedEntry[] {
  const entries: FeedEntry[] = [
    { seq: 1, type: 'catalog.set', payload: TEST_CATALOG },
    { seq: 2, type: 'script.set', payload: TEST_SCRIPT },
  ];
  debtors.forEach((debtor, index) => entries.push({ seq: 3 + index, type: 'debtor.upsert', payload: debtor }));
  return entries;
}
