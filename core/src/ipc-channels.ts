/**
 * Channel names of the workstation API, without their schemas, so that the sandboxed preload can
 * build the API object without bundling the validators. `ipc.ts` checks at compile time that this
 * list and the contract name the same channels.
 */
export const IPC_CHANNELS = [
  'auth:login',
  'auth:logout',
  'session:get',
  'worklist:list',
  'debtor:open',
  'contact:dial',
  'wrapup:save',
  'contact:confirm-identity',
  'script:walk',
  'script:answer',
  'admin:scripts-list',
  'admin:scripts-publish',
  'catalog:get',
  'wrapup:callback-slots',
  'admin:catalog-get',
  'admin:catalog-publish',
  'sync:now',
  'board:get',
  'alarm:acknowledge',
  'agent:status',
  'agent:pause',
  'agent:resume',
  'agent:call-ended',
  'board:export',
  'board:actions',
  'board:debtors',
  'board:reassign',
  'board:debtor-timeline',
  'board:pause-agent',
  'board:resume-agent',
  'board:trends',
  'board:drill',
  'admin:strategy-get',
  'admin:strategy-preview',
  'admin:strategy-publish',
] as const;
export type IpcChannel = (typeof IPC_CHANNELS)[number];

/** The one channel main uses to push state changes to the renderer. */
export const PUSH_CHANNEL = 'gestiona:push';

/** Name of the API object on `window`, in Electron (preload) and in browser mode (bridge script). */
export const API_GLOBAL = 'gestiona';
