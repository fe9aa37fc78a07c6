import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll } from "vitest";

/**
 * Temporary folders a test file makes or is given, all removed after its tests. Call at the top
 * of a test file (or a describe block): it registers the cleanup there.
 */
export function scratchFolders(prefix: string): { folder: () => string; removeAfterTests: (dir: string) => string } {
  const dirs: string[] = [];
  afterAll(() => dirs.forEach((dir) => rmSync(dir, { recursive: true, force: true })));
  const removeAfterTests = (dir: string) => {
    dirs.push(dir);
    return dir;
  };
  return { folder: () => removeAfterTests(mkdtempSync(join(tmpdir(), prefix))), removeAfterTests };
}
