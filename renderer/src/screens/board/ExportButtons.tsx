import { useState } from 'react';
import { callApi } from '../../api/client.ts';

type ExportFormat = 'csv' | 'xlsx';

/**
 * Buttons that save today's board figures as CSV or XLSX. Main fetches the file from the server,
 * and the page saves it through a download link. The browser saves it to its downloads folder, and
 * Electron asks where in a save dialog (`main/electron/window.ts`).
 */
export function ExportButtons() {
  const [busy, setBusy] = useState<ExportFormat | null>(null);
  const [error, setError] = useState<string | null>(null);

  const exportAs = async (format: ExportFormat): Promise<void> => {
    setBusy(format);
    setError(null);
    const result = await callApi('board:export', { format });
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
