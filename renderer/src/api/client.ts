/**
 * The renderer's only way out: the workstation API that the preload (Electron) or the bridge script
 * (browser mode) puts on `window.gestiona`. Every call resolves to a result envelope, even when the
 * API is missing or the transport fails, so screens handle one shape.
 */
import type { IpcArgs, IpcValue, PushMessage, WorkstationApi } from '@gestiona/core/ipc';
import { API_GLOBAL, type IpcChannel } from '@gestiona/core/ipc-channels';
import type { AppErrorShape, Result } from '@gestiona/core/result';

declare global {
  interface Window {
    [API_GLOBAL]?: WorkstationApi;
  }
}

// The API seen as a plain mapped type, so that indexing it with a generic channel keeps the
// argument and result types of that channel.
type ChannelMethods = { [K in IpcChannel]: (args: IpcArgs<K>) => Promise<Result<IpcValue<K>>> };

const API_MISSING_MESSAGE = 'La ventana no está conectada con la estación de trabajo. Cierre y vuelva a abrir la aplicación.';
const TRANSPORT_FAILED_MESSAGE = 'No hubo respuesta de la estación de trabajo. Intente de nuevo; si persiste, reinicie la aplicación.';

export async function callApi<C extends IpcChannel>(channel: C, args: IpcArgs<C>): Promise<Result<IpcValue<C>>> {
  const api = window[API_GLOBAL];
  if (!api) return failure({ code: 'internal', message: API_MISSING_MESSAGE });

  const methods: ChannelMethods = api;
  try {
    return await methods[channel](args);
  } catch {
    // The transport failed (bridge unreachable, IPC torn down); main logs its own side.
    return failure({ code: 'internal', message: TRANSPORT_FAILED_MESSAGE });
  }
}

/** Subscribes to pushes from main; a window without the API gets no pushes and a no-op unsubscribe. */
export function subscribePush(listener: (message: PushMessage) => void): () => void {
  const api = window[API_GLOBAL];
  if (!api) return () => {};
  return api.onPush(listener);
}

export function hasWorkstationApi(): boolean {
  return window[API_GLOBAL] !== undefined;
}

function failure(error: AppErrorShape): { ok: false; error: AppErrorShape } {
  return { ok: false, error };
}
