import { realpathSync } from "node:fs";
import { fileURLToPath } from "node:url";

/** Where a command writes, and its clock: injected so tests read what a user would see. */
export interface CommandIo {
  readonly print: (text: string) => void;
  readonly error: (text: string) => void;
  readonly now: () => Date;
}

/** True when the module at `moduleUrl` is the script node was started with (`tsx tools/<name>.ts`). */
export function isMain(moduleUrl: string): boolean {
  const script = process.argv[1];
  if (!script) return false;
  try {
    return realpathSync(script) === realpathSync(fileURLToPath(moduleUrl));
  } catch {
    return false;
  }
}
