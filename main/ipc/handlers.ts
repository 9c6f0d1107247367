/** One handler per channel of the workstation API, typed from the contract. */
import type { z } from 'zod';
import type { IpcChannel } from '@gestiona/core/ipc-channels';
import type { IpcValue, ipcContract } from '@gestiona/core/ipc';
import { login, logout, sessionState } from '../services/auth.ts';
import { agentStatus, markCallEnded, pauseAgent, resumeAgent } from '../services/agent-state.ts';
import { getStrategy, previewStrategy, publishStrategy } from '../services/admin-strategy.ts';
import { acknowledgeAlarm, exportBoard, getBoard, getBoardDrill, getBoardTrends } from '../services/board.ts';
import { getBoardActions, getDebtorTimeline, listBoardDebtors, pauseAgentRemotely, reassignDebtors, resumeAgentRemotely } from '../services/board-actions.ts';
import { getCatalog } from '../services/catalog.ts';
import { getAdminCatalog, publishAdminCatalog } from '../services/catalog-admin.ts';
import { callbackSlots } from '../services/catalog-callback-slots.ts';
import type { ServiceContext } from '../services/context.ts';
import { openDebtor } from '../services/debtor-view.ts';
import { dial } from '../services/dial.ts';
import { confirmIdentity } from '../services/identity.ts';
import { listWorklist } from '../services/worklist.ts';
import { saveWrapUp } from '../services/wrap-up.ts';
import { answerScript, scriptWalk } from '../services/script-walk.ts';
import { listAdminScripts, publishAdminScript } from '../services/script-admin.ts';

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
  'contact:confirm-identity': async (args, ctx) => confirmIdentity(ctx, args),
  'script:walk': async (args, ctx) => scriptWalk(ctx, args),
  'script:answer': async (args, ctx) => answerScript(ctx, args),
  'admin:scripts-list': (_args, ctx) => listAdminScripts(ctx),
  'admin:scripts-publish': (args, ctx) => publishAdminScript(ctx, args),
  'catalog:get': async (_args, ctx) => getCatalog(ctx),
  'wrapup:callback-slots': async (args, ctx) => callbackSlots(ctx, args),
  'admin:catalog-get': (_args, ctx) => getAdminCatalog(ctx),
  'admin:catalog-publish': (args, ctx) => publishAdminCatalog(ctx, args),
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
  'board:actions': (_args, ctx) => getBoardActions(ctx),
  'board:debtors': (args, ctx) => listBoardDebtors(ctx, args),
  'board:reassign': (args, ctx) => reassignDebtors(ctx, args),
  'board:debtor-timeline': (args, ctx) => getDebtorTimeline(ctx, args),
  'board:pause-agent': (args, ctx) => pauseAgentRemotely(ctx, args),
  'board:resume-agent': (args, ctx) => resumeAgentRemotely(ctx, args),
  'board:trends': (args, ctx) => getBoardTrends(ctx, args),
  'board:drill': (args, ctx) => getBoardDrill(ctx, args),
  'admin:strategy-get': (_args, ctx) => getStrategy(ctx),
  'admin:strategy-preview': (args, ctx) => previewStrategy(ctx, args),
  'admin:strategy-publish': (args, ctx) => publishStrategy(ctx, args),
};
