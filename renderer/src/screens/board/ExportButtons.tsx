import { useState } from 'react';
import type { IpcArgs } from '@gestiona/core/ipc';
import { callApi } from '../../api/client.ts';

/** What a button exports: the workbook with every sheet, or one table of the board as CSV. */
type ExportKind = 'xlsx' | 'csv' | 'queues-csv';

const EXPORT_ARGS: Record<ExportKind, IpcArgs<'board:export'>> = {
  xlsx: { format: 'xlsx' },
  csv: { format: 'csv' },
  'queues-csv': { format: 'csv', table: 'queues' },
};

/**
 * Buttons that save today's board figures as XLSX, or the agents' or the queues' table as CSV. Main fetches the file from the server,
 * and the page saves it through a download link. The browser saves it to its downloads folder, and
 * Electron asks where in a save dialog (`main/electron/window.ts`).
 */
export function ExportButtons() {
  const [busy, setBusy] = useState<ExportKind | null>(null);
  const [error, setError] = useState<string | null>(null);

  const exportAs = async (kind: ExportKind): Promise<void> => {
    setBusy(kind);
    setError(null);
    const result = await callApi('board:export', EXPORT_ARGS[kind]);
    setBusy(null);
    if (!result.ok) {
      setError(result.error.message);
      return;
    }
    saveFile(result.value.fileName, result.value.mimeType, result.value.contentBase64);
  };

  return (
    <span className="board-export">
      <button type="button" data-testid="board-export-xlsx" disabled={busy !== null} onClick={() => void exportAs('xlsx')}>
        {busy === 'xlsx' ? 'Exportando…' : 'Exportar Excel'}
      </button>
      <button type="button" data-testid="board-export-csv" disabled={busy !== null} onClick={() => void exportAs('csv')}>
        {busy === 'csv' ? 'Exportando…' : 'Exportar CSV'}
      </button>
      <button type="button" data-testid="board-export-queues-csv" disabled={busy !== null} onClick={() => void exportAs('queues-csv')}>
        {busy === 'queues-csv' ? 'Exportando…' : 'Exportar colas CSV'}
      </button>
      {error && (
        <span className="message message-error" role="alert" data-testid="board-export-error">
          {error}
        </span>
      )}
    </span>
  );
}

function saveFile(fileName: string, mimeType: string, contentBase64: string): void {
  const bytes = Uint8Array.from(atob(contentBase64), (char) => char.charCodeAt(0));
  const url = URL.createObjectURL(new Blob([bytes], { type: mimeType }));
  const link = document.createElement('a');
  link.href = url;
  link.download = fileName;
  document.body.append(link);
  link.click();
  link.remove();
  // The click starts the download synchronously, so the URL can go once the event loop moves on.
  window.setTimeout(() => URL.revokeObjectURL(url), 0);
}
