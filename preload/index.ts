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
  'contact:confirm-identity': (args) => invoke('contact:confirm-identity', args),
  'script:walk': (args) => invoke('script:walk', args),
  'script:answer': (args) => invoke('script:answer', args),
  'admin:scripts-list': (args) => invoke('admin:scripts-list', args),
  'admin:scripts-publish': (args) => invoke('admin:scripts-publish', args),
  'catalog:get': (args) => invoke('catalog:get', args),
  'wrapup:callback-slots': (args) => invoke('wrapup:callback-slots', args),
  'admin:catalog-get': (args) => invoke('admin:catalog-get', args),
  'admin:catalog-publish': (args) => invoke('admin:catalog-publish', args),
  'sync:now': (args) => invoke('sync:now', args),
  'board:get': (args) => invoke('board:get', args),
  'alarm:acknowledge': (args) => invoke('alarm:acknowledge', args),
  'agent:status': (args) => invoke('agent:status', args),
  'agent:pause': (args) => invoke('agent:pause', args),
  'agent:resume': (args) => invoke('agent:resume', args),
  'agent:call-ended': (args) => invoke('agent:call-ended', args),
  'board:export': (args) => invoke('board:export', args),
  'board:trends': (args) => invoke('board:trends', args),
  'board:drill': (args) => invoke('board:drill', args),
  'board:actions': (args) => invoke('board:actions', args),
  'board:debtors': (args) => invoke('board:debtors', args),
  'board:reassign': (args) => invoke('board:reassign', args),
  'board:debtor-timeline': (args) => invoke('board:debtor-timeline', args),
  'board:pause-agent': (args) => invoke('board:pause-agent', args),
  'board:resume-agent': (args) => invoke('board:resume-agent', args),
  'admin:strategy-get': (args) => invoke('admin:strategy-get', args),
  'admin:strategy-preview': (args) => invoke('admin:strategy-preview', args),
  'admin:strategy-publish': (args) => invoke('admin:strategy-publish', args),

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
