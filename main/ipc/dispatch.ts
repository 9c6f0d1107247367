/**
 * The single entry point of the workstation API. Electron IPC and the browser-mode bridge both call
 * `dispatch`, so every argument is parsed against the contract in one place and every result
 * leaves as an envelope.
 */
import { ipcContract } from '@gestiona/core/ipc';
import { IPC_CHANNELS, type IpcChannel } from '@gestiona/core/ipc-channels';
import { AppError, toErrorShape, type Result } from '@gestiona/core/result';
import { z } from 'zod';
import type { Logger } from '../logger.ts';
import type { ServiceContext } from '../services/context.ts';
import { handlers } from './handlers.ts';

export type Dispatch = (channel: string, rawArgs: unknown) => Promise<Result<unknown>>;

const CHANNELS: ReadonlySet<string> = new Set(IPC_CHANNELS);

/** Parse problems reach the agent's screen, so they are worded in Spanish, for this parse only. */
const SPANISH_ERRORS = z.locales.es().localeError;

export function isIpcChannel(channel: string): channel is IpcChannel {
  return CHANNELS.has(channel);
}

export function createDispatch(ctx: ServiceContext, logger: Logger): Dispatch {
  return async (channel, rawArgs) => {
    if (!isIpcChannel(channel)) {
      logger.warn({ channel: channel.slice(0, 100) }, 'dispatch: unknown channel rejected');
      return { ok: false, error: { code: 'invalid-input', message: `Operación desconocida: "${channel.slice(0, 100)}".` } };
    }

    try {
      const value = await runChannel(channel, rawArgs, ctx);
      return { ok: true, value };
    } catch (error) {
      if (error instanceof AppError) {
        logger.info({ channel, code: error.code, invalidFields: error.fields ? Object.keys(error.fields) : undefined }, 'dispatch: request rejected');
      } else {
        logger.error({ channel, err: error }, 'dispatch: handler failed');
      }
      return { ok: false, error: toErrorShape(error) };
    }
  };
}

async function runChannel(channel: IpcChannel, rawArgs: unknown, ctx: ServiceContext): Promise<unknown> {
  const schema: z.ZodType = ipcContract[channel].args;
  const parsed = schema.safeParse(rawArgs, { error: SPANISH_ERRORS });
  if (!parsed.success) throw invalidArgs(parsed.error);

  // TypeScript cannot pair `ipcContract[channel]` with `handlers[channel]` across the union of
  // channels. Both are keyed by the same channel, so the parsed value is what the handler takes.
  const handler = handlers[channel] as (args: unknown, ctx: ServiceContext) => Promise<unknown>;
  return handler(parsed.data, ctx);
}

/** Names the first offending field in the message and lists every one in `fields` for forms. */
function invalidArgs(error: z.ZodError): AppError {
  const fields: Record<string, string> = {};
  for (const issue of error.issues) {
    const path = issue.path.length > 0 ? issue.path.join('.') : '(datos)';
    fields[path] ??= issue.message;
  }
  const first = error.issues[0];
  const firstPath = first === undefined || first.path.length === 0 ? '(datos)' : pathText(first.path);
  const firstMessage = first?.message ?? 'valor inválido';
  return new AppError('invalid-input', `Datos inválidos en "${firstPath}": ${firstMessage}. Corrija el valor e intente de nuevo.`, fields);
}

const PLAIN_KEY = /^[\p{L}_$][\p{L}\p{N}_$]*$/u;

/**
 * Returns a path for the message: `fields.monto`, `items[2]`. A key a forged call made up (quotes,
 * control characters) is shown escaped in brackets, so it cannot break the quoted path.
 */
function pathText(path: readonly PropertyKey[]): string {
  let text = '';
  for (const segment of path) {
    if (typeof segment === 'number') text += `[${segment}]`;
    else if (typeof segment === 'string' && PLAIN_KEY.test(segment)) text += text === '' ? segment : `.${segment}`;
    else text += `[${JSON.stringify(String(segment)).slice(1, -1).replaceAll('\\"', '\\u0022')}]`;
  }
  return text;
}
