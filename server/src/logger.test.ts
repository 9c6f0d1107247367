import { Writable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { createLogger } from './logger.ts';

describe('server logger', () => {
  it('masks document numbers inside debtor ids', () => {
    const lines: string[] = [];
    const sink = new Writable({
      write(chunk: Buffer, _encoding, done) {
        lines.push(chunk.toString());
        done();
      },
    });
    const logger = createLogger({ level: 'info', destination: sink });
    logger.info({ debtorId: 'CC-1020304050', email: 'ana@correo.co' }, 'ingest: stored');

    expect(lines).toHaveLength(1);
    expect(lines[0]).not.toContain('1020304050');
    expect(lines[0]).not.toContain('ana@correo.co');
    expect(lines[0]).toContain('CC-');
  });
});
