// Reads a batch of call notes (HookCapture.calls, written by src/hook/common/call-notes.ts): the
// JSON requests and worker-boundary calls the hook named, and their answers. Lines that do not
// parse are skipped and counted; nothing here trusts the page.

const KEY = /^[^\t\n\r]{1,64}$/;
const METHOD = /^[A-Za-z][\w.]{0,127}$/;
const MAX_AGO_MS = 86_400_000;

/** A call the hook saw sent: `key` pairs it with its answer (unique on its connection). */
export interface CallNoted {
  at: number;
  conn: string;
  key: string;
  method: string;
}

/** An answer the hook saw: `reported` when the hook also reported it (it may carry an error). */
export interface CallAnswerNoted {
  at: number;
  conn: string;
  key: string;
  reported: boolean;
}

/** A call that ended without an answer (its request failed or was aborted). */
export interface CallEndNoted {
  at: number;
  conn: string;
  key: string;
}

export interface CallNotesRead {
  calls: CallNoted[];
  answers: CallAnswerNoted[];
  unanswered: CallEndNoted[];
  /** Notes the hook dropped past its bound. */
  dropped: number;
  /** Lines that did not parse. */
  malformed: number;
}

/** The notes of one batch; `at` is the batch's time (each line says how many ms before it). */
export function readCallNotes(text: string, at: number): CallNotesRead {
  const out: CallNotesRead = { calls: [], answers: [], unanswered: [], dropped: 0, malformed: 0 };
  for (const line of text.split('\n')) {
    const f = line.split('\t');
    if (f[0] === 'd' && f.length === 2 && /^\d{1,9}$/.test(f[1])) {
      out.dropped += Number(f[1]);
      continue;
    }
    const ago = f.length >= 4 && /^\d{1,9}$/.test(f[3]) ? Number(f[3]) : -1;
    if (ago < 0 || ago > MAX_AGO_MS || !KEY.test(f[1]) || !KEY.test(f[2])) {
      out.malformed++;
      continue;
    }
    if (f[0] === 'q' && f.length === 5 && METHOD.test(f[4])) out.calls.push({ at: at - ago, conn: f[1], key: f[2], method: f[4] });
    else if ((f[0] === 'k' || f[0] === 'e') && f.length === 4) out.answers.push({ at: at - ago, conn: f[1], key: f[2], reported: f[0] === 'e' });
    else if (f[0] === 'u' && f.length === 4) out.unanswered.push({ at: at - ago, conn: f[1], key: f[2] });
    else out.malformed++;
  }
  return out;
}
