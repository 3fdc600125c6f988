import type { ErrorRecord } from '../../src/core/record.ts';

export function makeRecord(overrides: Partial<ErrorRecord> = {}): Omit<ErrorRecord, 'id'> & Partial<Pick<ErrorRecord, 'id'>> {
  return {
    capturedAt: '2026-11-21T12:00:00.000Z',
    code: 420,
    class: 'FLOOD',
    treatedAs500: false,
    codeInferred: false,
    message: 'FLOOD_WAIT_17',
    type: 'FLOOD_WAIT_17',
    description: null,
    template: 'FLOOD_WAIT_X',
    params: { seconds: 17 },
    meaning: 'A wait of 17 seconds is required.',
    meaningSource: 'catalog',
    action: { kind: 'wait', retryAt: '2026-11-21T12:00:17.000Z' },
    channel: 'websocket',
    direction: 'in',
    url: 'ws://127.0.0.1/apiws',
    dialect: 'tl-json',
    method: null,
    dc: null,
    chainId: null,
    evidence: null,
    ...overrides,
  };
}
