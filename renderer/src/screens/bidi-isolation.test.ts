/**
 * Free text from notes and imports may carry a right-to-left override (U+202E). Rendered raw, it
 * reverses the screen text that follows it, so every such text must sit inside a <bdi> element.
 */
import { createElement } from 'react';
import { renderToStaticMarkup } from 'react-dom/server';
import { describe, expect, it } from 'vitest';
import type { DebtorTimelineEntry, DebtorView, WorklistItem } from '@gestiona/core/ipc';
import { ObligationsTable } from './debtor/ObligationsTable.tsx';
import { PersonsPanel } from './debtor/PersonsPanel.tsx';
import { TimelinePanel } from './debtor/TimelinePanel.tsx';
import { WorklistRow } from './worklist/WorklistRow.tsx';

const RLO = '\u202E';
const HOSTILE = `nota ${RLO}oicnuna`;

/** Returns the positions of U+202E in the markup that no open <bdi> element encloses. */
function unisolatedOverrides(markup: string): number[] {
  const positions: number[] = [];
  for (let index = markup.indexOf(RLO); index !== -1; index = markup.indexOf(RLO, index + 1)) {
    const before = markup.slice(0, index);
    const opened = before.split('<bdi>').length - 1;
    const closed = before.split('</bdi>').length - 1;
    if (opened <= closed) positions.push(index);
  }
  return positions;
}

function timelineEntry(patch: Partial<DebtorTimelineEntry>): DebtorTimelineEntry {
  return { id: 'e1', at: '2026-12-07T15:00:00Z', dateOnly: false, kind: 'payment', title: 'Pago', detail: null, code: null, status: null, amountsHidden: false, ...patch };
}

const WORKLIST_ITEM: WorklistItem = {
  debtorId: 'd1',
  fullName: HOSTILE,
  docType: 'CC',
  docNumber: '1234',
  segment: 'media',
  priority: 1,
  totalBalanceCents: 100_00,
  maxDaysPastDue: 10,
  obligationCount: 1,
  legalStatus: 'contactable',
  statusText: 'Contactable',
  nextAllowedAt: null,
  lastResultCode: null,
  lastContactAt: null,
  followUp: { kind: 'due-today', text: 'Seguimiento: promesa vence hoy' },
};

describe('bidirectional text isolation', () => {
  it.each([
    { case: 'a timeline detail', entry: timelineEntry({ detail: `Crédito 1 · referencia R-1 · ${HOSTILE}` }) },
    { case: 'a timeline title', entry: timelineEntry({ title: HOSTILE }) },
  ])('isolates $case', ({ entry }) => {
    const markup = renderToStaticMarkup(createElement(TimelinePanel, { entries: [entry], identityConfirmed: true }));
    expect(markup).toContain(RLO);
    expect(unisolatedOverrides(markup)).toEqual([]);
  });

  it('isolates a worklist name', () => {
    const markup = renderToStaticMarkup(
      createElement('table', null, createElement('tbody', null, createElement(WorklistRow, { item: WORKLIST_ITEM, selected: false, rowRef: undefined, now: '2026-12-07T15:00:00Z', onOpen: () => {} }))),
    );
    expect(markup).toContain(RLO);
    expect(unisolatedOverrides(markup)).toEqual([]);
  });

  it('isolates person names, relations and creditors', () => {
    const view = {
      id: 'd1',
      persons: [
        { id: 'p1', role: 'debtor', fullName: HOSTILE, relation: null, contactPoints: [] },
        { id: 'p2', role: 'reference', fullName: 'Inés Córdoba', relation: HOSTILE, contactPoints: [] },
      ],
      obligations: [{ id: 'o1', creditor: HOSTILE, number: 'HP-1', product: 'mortgage', dueDate: null, detail: null }],
      identity: { confirmed: false, attemptId: null, text: 'Identidad sin verificar.' },
    } as unknown as DebtorView;
    for (const panel of [PersonsPanel, ObligationsTable]) {
      const markup = renderToStaticMarkup(createElement(panel, { view }));
      expect(markup).toContain(RLO);
      expect(unisolatedOverrides(markup)).toEqual([]);
    }
  });
});
