/**
 * Electron IPC registration: one `ipcMain.handle` per channel of the contract, each forwarding to
 * the workstation's `dispatch` only for the main window's top frame at our own origin.
 */
import { ipcMain, type BrowserWindow, type IpcMainInvokeEvent } from 'electron';
import { IPC_CHANNELS, PUSH_CHANNEL } from '@gestiona/core/ipc-channels';
import type { Result } from '@gestiona/core/result';
import type { Logger } from '../logger.ts';
import type { Workstation } from '../workstation.ts';
import { isTrustedFrameUrl } from './window-policy.ts';

const FORBIDDEN: Result<never> = {
  ok: false,
  error: { code: 'forbidden', message: 'Solicitud rechazada: no proviene de la ventana de Gestiona.' },
};

export function registerIpc(options: { workstation: Workstation; window: () => BrowserWindow | null; trustedOrigin: URL; logger: Logger }): () => void {
  const { workstation, logger } = options;

  for (const channel of IPC_CHANNELS) {
    ipcMain.handle(channel, async (event: IpcMainInvokeEvent, args: unknown) => {
      if (!isTrustedSender(event, options.window(), options.trustedOrigin)) {
        logger.warn({ channel, senderUrl: event.senderFrame?.url.slice(0, 200) ?? null }, 'ipc: call from an untrusted frame rejected');
        return FORBIDDEN;
      }
      return workstation.dispatch(channel, args);
    });
  }

  const unsubscribe = workstation.onPush((message) => {
    const window = options.window();
    if (window && !window.isDestroyed()) window.webContents.send(PUSH_CHANNEL, message);
  });

  return () => {
    unsubscribe();
    for (const channel of IPC_CHANNELS) ipcMain.removeHandler(channel);
  };
}

/** The sender must be the main window's top frame, showing a page of our origin. */
function isTrustedSender(event: IpcMainInvokeEvent, window: BrowserWindow | null, trusted: URL): boolean {
  const frame = event.senderFrame;
  if (!frame || !window || window.isDestroyed()) return false;
  const mainFrame = window.webContents.mainFrame;
  // Frames are compared by process and routing id, which identify a frame whatever wrapper object Electron hands out.
  const isMainFrame = frame.parent === null && frame.processId === mainFrame.processId && frame.routingId === mainFrame.routingId;
  if (event.sender !== window.webContents || !isMainFrame) return false;
  return isTrustedFrameUrl(frame.url, trusted);
}
