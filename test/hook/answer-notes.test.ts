import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { ANSWER_BATCH, AnswerNotes } from '../../src/hook/websocket/answer-notes.ts';
import { answersOfNote, decodeCapture } from '../../src/core/capture/decode-capture.ts';
import { validateCapture } from '../../src/shared/validate-capture.ts';

describe('answer notes', () => {
  it('carry each req_msg_id and its time to the background exactly, in batches', () => {
    fc.assert(
      fc.property(
        fc.array(fc.tuple(fc.bigInt({ min: 0n, max: (1n << 64n) - 1n }), fc.integer({ min: 0, max: 400 })), { minLength: 1, maxLength: 3 * ANSWER_BATCH }),
        (answers) => {
          let clock = 1_000_000;
          const notes: { hex: string; at: number }[] = [];
          const n = new AnswerNotes(
            (hex, at) => notes.push({ hex, at }),
            () => clock,
          );
          const expected: { reqMsgId: string; at: number }[] = [];
          for (const [id, gap] of answers) {
            clock += gap;
            n.note(Number(id & 0xffffffffn), Number(id >> 32n));
            expected.push({ reqMsgId: id.toString(), at: clock });
          }
          clock += 7;
          n.flush();
          expect(notes.length).toBe(Math.ceil(answers.length / ANSWER_BATCH));
          expect(notes.flatMap((note) => answersOfNote(note.hex, note.at))).toEqual(expected);
          for (const note of notes) {
            const checked = validateCapture(
              JSON.stringify({
                v: 1,
                channel: 'websocket',
                direction: 'in',
                url: 'wss://x/apiws',
                at: note.at,
                kind: 'request',
                data: '',
                conn: 'c1',
                answers: note.hex,
              }),
            );
            expect(checked.ok).toBe(true);
          }
        },
      ),
      { numRuns: 50 },
    );
  });

  it('a close note names its connection and is decoded as closed', () => {
    const close = { v: 1, channel: 'websocket', direction: 'in', url: 'wss://x/apiws', at: 1, kind: 'request', data: '', closed: true };
    const checked = validateCapture(JSON.stringify({ ...close, conn: 'ws3' }));
    expect(checked.ok && checked.capture.closed).toBe(true);
    expect(checked.ok && decodeCapture(checked.capture)).toMatchObject({ closed: true, records: [] });
    expect(validateCapture(JSON.stringify(close)).ok).toBe(false);
    expect(validateCapture(JSON.stringify({ ...close, conn: 'ws3', closed: 'yes' })).ok).toBe(false);
  });

  it('a note that is not one is refused by the content script', () => {
    const base = { v: 1, channel: 'websocket', url: 'wss://x/apiws', at: 1, kind: 'request', data: '' };
    expect(validateCapture(JSON.stringify({ ...base, direction: 'in', answers: 'zz'.repeat(12) })).ok).toBe(false);
    expect(validateCapture(JSON.stringify({ ...base, direction: 'in', answers: '00'.repeat(11) })).ok).toBe(false);
    expect(validateCapture(JSON.stringify({ ...base, direction: 'in' })).ok).toBe(false);
    expect(validateCapture(JSON.stringify({ ...base, kind: 'text', direction: 'in', answers: '00'.repeat(12) })).ok).toBe(false);
  });
});
