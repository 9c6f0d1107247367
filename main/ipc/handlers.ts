/** One handler per channel of the workstation API, typed from the contract. */
import type { z } from 'zod';
import type { IpcChannel } from '@gestiona/core/ipc-channels';
import type { IpcValue, ipcContract } from '@gestiona/core/ipc';
import { login, logout, sessionState } from '../services/auth.ts';
import { agentStatus, markCallEnded, pauseAgent, resumeAgent } from '../services/agent-state.ts';
import { acknowledgeAlarm, exportBoard, getBoard } from '../services/board.ts';
import { getCatalog } from '../services/catalog.ts';
import type { ServiceContext } from '../services/context.ts';
import { openDebtor } from '../services/debtor-view.ts';
import { dial } from '../services/dial.ts';
import { listWorklist } from '../services/worklist.ts';
import { saveWrapUp } from '../services/wrap-up.ts';

/** The arguments after parsing: defaults applied, strings trimmed. */
export type ParsedArgs<C extends IpcChannel> = z.output<(typeof ipcContract)[C]['args']>;

export type HandlerMap = {
  [C in IpcChannel]: (args: ParsedArgs<C>, ctx: ServiceContext) => Promise<IpcValue<C>>;
};

export const handlers: HandlerMap = {
  'auth:login': (args, ctx) => login(ctx, args),
  'auth:logout': (_args, ctx) => logout(ctx),
  'session:get': async (_args, ctx) => sessionState(ctx),
  'worklist:list': async (args, ctx) => listWorklist(ctx, args),
  'debtor:open': async (args, ctx) => openDebtor(ctx, args),
  'contact:dial': (args, ctx) => dial(ctx, args),
  'wrapup:save': async (args, ctx) => saveWrapUp(ctx, args),
  'catalog:get': async (_args, ctx) => getCatalog(ctx),
  'sync:now': async (_args, ctx) => {
    ctx.session.requireUser();
    await ctx.sync.flushNow();
    return ctx.sync.status();
  },
  'board:get': (_args, ctx) => getBoard(ctx),
  'alarm:acknowledge': (args, ctx) => acknowledgeAlarm(ctx, args),
  'agent:status': async (_args, ctx) => agentStatus(ctx),
  'agent:pause': async (args, ctx) => pauseAgent(ctx, args),
  'agent:resume': async (_args, ctx) => resumeAgent(ctx),
  'agent:call-ended': async (args, ctx) => markCallEnded(ctx, args),
  'board:export': (args, ctx) => exportBoard(ctx, args),
};
