/** Writes a debtor's evidence export to a folder as JSON and PDF. */
import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { ServerStore } from '../store/types.ts';
import { buildDebtorEvidence } from './build-evidence.ts';
import { renderEvidencePdf, type EvidencePdfOptions } from './evidence-pdf.ts';

/** A debtor id such as `CC-1020304050` is safe in a file name; anything else is replaced. */
const fileSafe = (debtorId: string): string => debtorId.replace(/[^A-Za-z0-9_-]/g, '_');

/** Returns the paths written, or null when the debtor does not exist (nothing is written then). */
export async function writeEvidenceFiles(
  store: ServerStore,
  debtorId: string,
  outDir: string,
  now: Date,
  pdfOptions: EvidencePdfOptions = {},
): Promise<{ json: string; pdf: string } | null> {
  const evidence = await buildDebtorEvidence(store, debtorId, now);
  if (evidence === null) return null;

  await mkdir(outDir, { recursive: true });
  const base = join(outDir, `evidencia-${fileSafe(debtorId)}`);
  const files = { json: `${base}.json`, pdf: `${base}.pdf` };
  await writeFile(files.json, `${JSON.stringify(evidence, null, 2)}\n`, 'utf8');
  await writeFile(files.pdf, await renderEvidencePdf(evidence, pdfOptions));
  return files;
}
