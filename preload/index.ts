/**
 * Preload of the workstation window: puts the typed workstation API on `window.gestiona` and
 * nothing else. The renderer gets one method per IPC channel and a push subscription, never
 * `ipcRenderer` itself, so a compromised page can reach only the handlers main validates.
 *
 * The window is sandboxed, so this file is bundled to CommonJS with its imports inlined. It imports
 * from core only the channel list, which has no validators, to keep that bundle small.
 */
import { contextBridge, ipcRenderer, type IpcRendererEvent } from 'electron';
import type { IpcArgs, IpcValue, PushMessage, WorkstationApi } from '@gestiona/core/ipc';
import { API_GLOBAL, PUSH_CHANNEL, type IpcChannel } from '@gestiona/core/ipc-channels';
import type { Result } from '@gestiona/core/result';

function invoke<C extends IpcChannel>(channel: C, args: IpcArgs<C>): Promise<Result<IpcValue<C>>> {
  return ipcRenderer.invoke(channel, args);
}

// Listing each channel, instead of looping over IPC_CHANNELS, lets the type check reject a missing
// or extra method: the object literal must match WorkstationApi exactly.
const workstationApi: WorkstationApi = {
  'auth:login': (args) => invoke('auth:login', args),
  'auth:logout': (args) => invoke('auth:logout', args),
  'session:get': (args) => invoke('session:get', args),
  'worklist:list': (args) => invoke('worklist:list', args),
  'debtor:open': (args) => invoke('debtor:open', args),
  'contact:dial': (args) => invoke('contact:dial', args),
  'wrapup:save': (args) => invoke('wrapup:save', args),
  'catalog:get': (args) => invoke('catalog:get', args),
  'sync:now': (args) => invoke('sync:now', args),
  'board:get': (args) => invoke('board:get', args),
  'alarm:acknowledge': (args) => invoke('alarm:acknowledge', args),
  'agent:status': (args) => invoke('agent:status', args),
  'agent:pause': (args) => invoke('agent:pause', args),
  'agent:resume': (args) => invoke('agent:resume', args),
  'agent:call-ended': (args) => invoke('agent:call-ended', args),
  'board:export': (args) => invoke('board:export', args),

  onPush(listener) {
    // Only the message crosses to the page: the IPC event would expose `sender`, the raw IPC object.
    const forward = (_event: IpcRendererEvent, message: PushMessage): void => listener(message);
    ipcRenderer.on(PUSH_CHANNEL, forward);
    return () => {
      ipcRenderer.removeListener(PUSH_CHANNEL, forward);
    };
  },
};

contextBridge.exposeInMainWorld(API_GLOBAL, workstationApi);
