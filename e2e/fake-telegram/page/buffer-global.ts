// GramJS's modules use Node's global `Buffer` without importing it (its own browser build adds
// `import { Buffer } from "buffer/"` to every file); one global from the same package does it.
// Imported first by app.ts so it runs before any GramJS module.
import { Buffer } from 'buffer/';

(globalThis as unknown as { Buffer?: unknown }).Buffer ??= Buffer;
