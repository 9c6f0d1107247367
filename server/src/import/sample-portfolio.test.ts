import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SEGMENTS } from '@gestiona/core/domain';
import { BACKEND_NAMES, useTestBackend } from '../fixtures/backends.ts';
import { SAMPLE_PORTFOLIO_FILE } from '../paths.ts';
import type { ImportSummary, ServerStore } from '../store/types.ts';

const NOW = new Date('2026-12-04T15:00:00-05:00');

describe.each(BACKEND_NAMES)('committed sample portfolio imported on %s', (backendName) => {
  const backend = useTestBackend(backendName);
  let store: ServerStore;
  let summary: ImportSummary;

  beforeAll(async () => {
    store = await backend.openStore(await backend.createDatabase());
    summary = await store.importPortfolio({ fileName: 'sample-portfolio.csv', bytes: readFileSync(SAMPLE_PORTFOLIO_FILE), now: NOW });
  });
  afterAll(async () => {
    await store.close();
  });

  it('imports cleanly with the expected counts', () => {
    expect(summary).toMatchObject({ encoding: 'utf-8', rows: 5000, debtors: 2000, debtorsCreated: 2000, obligations: 5000, obligationsCreated: 5000 });
  });

  it('has debtors in every segment', () => {
    for (const segment of SEGMENTS) expect(summary.bySegment[segment], segment).toBeGreaterThan(100);
  });

  it('has a few debtors abroad', async () => {
    const text = readFileSync(SAMPLE_PORTFOLIO_FILE, 'utf8');
    const abroad = [...new Set([...text.matchAll(/^([A-Z]+);([\d.A-Z-]+);[^;]*;(Madrid|Miami|Ciudad de México);/gm)].map((match) => `${match[1]}-${match[2]!.replace(/\./g, '')}`))];
    expect(abroad.length).toBeGreaterThanOrEqual(6);
    expect(abroad.length).toBeLessThanOrEqual(12);

    const zones = new Set<string>();
    for (const debtorId of abroad) {
      const snapshot = await store.getDebtorSnapshot(debtorId, NOW);
      const holder = snapshot?.persons.find((person) => person.role === 'debtor');
      for (const zone of holder?.timeZones ?? []) zones.add(zone);
      const mobile = snapshot?.contactPoints.find((point) => point.id === `${debtorId}/celular`);
      expect(mobile?.country, debtorId).toMatch(/^(ES|US|MX)$/);
    }
    expect([...zones].sort()).toEqual(['America/Mexico_City', 'America/New_York', 'Europe/Madrid']);
  });

  it('stores what it reports', async () => {
    expect(await store.countDebtors()).toBe(2000);
    expect(await store.countObligations()).toBe(5000);
    expect(await store.countDebtorsBySegment()).toEqual(summary.bySegment);
  });
});

describe('committed sample portfolio file', () => {
  it('is UTF-8 with BOM, semicolons and CRLF as Excel writes it', () => {
    const bytes = readFileSync(SAMPLE_PORTFOLIO_FILE);
    expect([...bytes.subarray(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
    const firstLine = bytes.toString('utf8').split('\r\n')[0]!;
    expect(firstLine.split(';').length).toBeGreaterThan(40);
  });

  it('has co-obligors, references, names with ñ and debtors without any voice authorisation', () => {
    const text = readFileSync(SAMPLE_PORTFOLIO_FILE, 'utf8');
    expect(text).toMatch(/Peña|Muñoz|Núñez/);
    expect(text).toMatch(/Báez/);

    const lines = text.trim().split('\r\n');
    const header = lines[0]!.replace('\ufeff', '').split(';');
    const column = (name: string) => header.indexOf(name);
    const rows = lines.slice(1).map((line) => line.split(';'));
    const byDebtor = new Map<string, string[]>();
    for (const row of rows) byDebtor.set(`${row[column('tipo_documento')]}-${row[column('numero_documento')]}`, row);

    const debtors = [...byDebtor.values()];
    const share = (predicate: (row: string[]) => boolean) => debtors.filter(predicate).length / debtors.length;
    const withCoObligor = new Set(rows.filter((row) => row[column('codeudor_nombre')] !== '').map((row) => `${row[column('tipo_documento')]}-${row[column('numero_documento')]}`));
    expect(withCoObligor.size / debtors.length).toBeGreaterThan(0.2);
    expect(withCoObligor.size / debtors.length).toBeLessThan(0.3);
    expect(share((row) => row[column('referencia1_nombre')] !== '')).toBeGreaterThan(0.75);
    const voiceAuthorized = (row: string[]) => /^s/i.test(row[column('celular_autorizado')]!) || /^s/i.test(row[column('fijo_autorizado')]!);
    expect(share((row) => !voiceAuthorized(row))).toBeGreaterThan(0.05);
    expect(new Set(debtors.map((row) => row[column('tipo_documento')]))).toEqual(new Set(['CC', 'CE', 'NIT', 'PA', 'TI']));
    expect(new Set(rows.map((row) => row[column('producto')])).size).toBe(6);
  });
});
