import { createRequire } from "node:module";

/** Set to 1 to keep the creation stack of every cdktf token, for a "Object creation stack" in a resolution error. */
export const KEEP_TOKEN_TRACES = "PATCHLINE_SYNTH_TRACES";

interface StackTraceModule {
  captureStackTrace: (below?: unknown) => string[];
}

// cdktf 0.21.0 (pinned, archived upstream) calls this module's export at each call: `(0, stack_trace_1.captureStackTrace)()`
const cdktfStackTraces = createRequire(import.meta.url)("cdktf/lib/tokens/private/stack-trace.js") as StackTraceModule;
const noTrace = (): string[] => [];

/**
 * cdktf captures and formats a full stack trace for every token it creates (each attribute read,
 * each nested block of a provider class), only to print it if that token fails to resolve. That
 * is about 30 % of a member stack's synth time; patchline's tokens come from its own
 * constructs, so `render` runs without them unless `PATCHLINE_SYNTH_TRACES=1` asks for them.
 * The rendered Terraform does not depend on them (stacks/app/lean-synth.synth.test.ts).
 */
export function withoutTokenTraces<T>(render: () => T, env: NodeJS.ProcessEnv = process.env): T {
  if (env[KEEP_TOKEN_TRACES] === "1") return render();
  const capture = cdktfStackTraces.captureStackTrace;
  cdktfStackTraces.captureStackTrace = noTrace;
  try {
    return render();
  } finally {
    cdktfStackTraces.captureStackTrace = capture;
  }
}
