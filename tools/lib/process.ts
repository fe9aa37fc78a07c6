import { spawn } from "node:child_process";

export interface RunOptions {
  readonly cwd?: string;
  /** Collect stdout and stderr instead of passing them through (for output that must not interleave). */
  readonly capture?: boolean;
  /** The environment of the program. @default process.env */
  readonly env?: NodeJS.ProcessEnv;
}

export interface RunResult {
  /** The exit code; 127 when the program could not be started. */
  readonly code: number;
  readonly stdout: string;
  readonly stderr: string;
}

/** Starts a program without a shell (arguments are passed as they are, globs included). */
export type ProcessRunner = (command: string, args: readonly string[], options?: RunOptions) => Promise<RunResult>;

export const runProcess: ProcessRunner = (command, args, options = {}) =>
  new Promise((resolve) => {
    const child = spawn(command, [...args], {
      cwd: options.cwd,
      env: options.env ?? process.env,
      stdio: options.capture ? ["ignore", "pipe", "pipe"] : "inherit",
    });
    const out: Buffer[] = [];
    const err: Buffer[] = [];
    child.stdout?.on("data", (chunk: Buffer) => out.push(chunk));
    child.stderr?.on("data", (chunk: Buffer) => err.push(chunk));
    child.on("error", (error) => resolve({ code: 127, stdout: "", stderr: `${command}: ${error.message}` }));
    child.on("close", (code, signal) =>
      resolve({ code: code ?? (signal ? 128 : 1), stdout: Buffer.concat(out).toString("utf8"), stderr: Buffer.concat(err).toString("utf8") }),
    );
  });

/** `npx cdktf deploy 'prod-*'`: how a command reads in a shell, for dry runs and logs. */
export function shellLine(command: string, args: readonly string[]): string {
  return [command, ...args].map((a) => (/^[\w@%+=:,./-]+$/.test(a) ? a : `'${a.replace(/'/g, `'\\''`)}'`)).join(" ");
}

/** The end of a program's output, for an error message. */
export const lastLines = (text: string, n = 20): string => text.trim().split("\n").slice(-n).join("\n");
