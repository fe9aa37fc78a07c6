import { readdirSync, statSync } from "node:fs";
import { join } from "node:path";

/** The files given, with each folder among them replaced by the `*.json` files in it, sorted by name. */
export function jsonFiles(paths: readonly string[]): string[] {
  return paths.flatMap((path) =>
    statSync(path).isDirectory()
      ? readdirSync(path)
          .filter((f) => f.endsWith(".json"))
          .sort()
          .map((f) => join(path, f))
      : [path],
  );
}
