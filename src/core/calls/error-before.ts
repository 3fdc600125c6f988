// The `before` an error record carries: its own module, so the record type can name it without
// depending on the call log (which depends on the record type).

/** The calls before an error, as each error record carries it (and the export writes it). */
export interface ErrorBefore {
  windowMs: number;
  /** Calls on the tab in the window before the error (the failing call included). */
  calls: number;
  sameMethod: {
    /** Calls of the error's method in the window, the failing call not counted. */
    count: number;
    /** The most calls of that method in any 10 s span of the window (the failing call not counted). */
    maxPer10s: number;
  };
}
