import { realpathSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { parseArgs, type ParseArgsConfig } from "node:util";

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

/**
 * Parses a command line the way every patchline tool does: a bad option prints the problem and the
 * usage (exit code 2), `--help` prints the usage (exit code 0); otherwise the parsed arguments.
 */
export function parseCommandLine<const T extends ParseArgsConfig>(
  config: T,
  usage: string,
  io: CommandIo,
): ReturnType<typeof parseArgs<T>> | { readonly exitCode: number } {
  let args: ReturnType<typeof parseArgs<T>>;
  try {
    args = parseArgs(config);
  } catch (error) {
    io.error(`${(error as Error).message}\n\n${usage}`);
    return { exitCode: 2 };
  }
  if ((args.values as { help?: boolean }).help) {
    io.print(usage);
    return { exitCode: 0 };
  }
  return args;
}
