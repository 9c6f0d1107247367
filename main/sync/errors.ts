/** Failures of one sync step, in separate classes so the client can decide whether to retry. */

/** The server responded `{ ok: false }` or acknowledged none of the events sent. */
export class ServerRefusedError extends Error {
  constructor(operation: string, detail: string) {
    super(`${operation} refused by the server: ${detail}`);
    this.name = 'ServerRefusedError';
  }
}

/** An acknowledgement that does not match the sync contract: the server and this build disagree. */
export class SyncProtocolError extends Error {
  constructor(operation: string, detail: string) {
    super(`${operation} acknowledgement does not match the sync contract: ${detail}`);
    this.name = 'SyncProtocolError';
  }
}

/** socket.io rejects `emitWithAck` on timeout or disconnect with a plain Error carrying this text. */
export function isAckTimeout(error: unknown): boolean {
  return error instanceof Error && /timed out|disconnected/i.test(error.message);
}
