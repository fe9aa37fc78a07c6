import { execFileSync } from "node:child_process";
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { unzipSync } from "fflate";
import { bundledSdkClients, buildFunctions } from "../functions/build.js";

/**
 * Each Lambda bundle's zip size and cold import time: a fresh Node process imports the bundle's
 * index.mjs (module-scope SDK clients, logger and configuration included), timed inside the
 * process, so Node's own start-up is not counted. Median and slowest of RUNS imports.
 */
export interface FunctionMeasurement {
  readonly name: string;
  /** `@aws-sdk/client-*` packages in the bundle. */
  readonly sdkClients: readonly string[];
  readonly zipKiB: number;
  readonly bundleKiB: number;
  readonly medianImportMs: number;
  readonly slowestImportMs: number;
}

const RUNS = 15;

/** What the stacks set on the functions (values do not matter: nothing is called at import). */
const lambdaEnvironment: Record<string, string> = {
  AWS_REGION: "us-east-1",
  AWS_LAMBDA_FUNCTION_NAME: "bench",
  POWERTOOLS_SERVICE_NAME: "bench",
  APPROVALS_TABLE: "patchline-approvals",
  LINK_KEY_ID: "arn:aws:kms:us-east-1:100000000001:key/bench",
  APPROVALS_TOPIC_ARN: "arn:aws:sns:us-east-1:100000000001:patchline-approvals",
  ESCALATION_TOPIC_ARN: "arn:aws:sns:us-east-1:100000000001:patchline-approval-escalations",
  NOTIFICATIONS_TOPIC_ARN: "arn:aws:sns:us-east-1:100000000001:patchline-notifications",
  APPROVAL_API_URL: "https://bench.execute-api.us-east-1.amazonaws.com",
  OWNER_TAG_KEY: "Owner",
  MEMBER_ROLE_NAME: "patchline-approval-access",
  OUTPUT_BUCKET: "patchline-logs-100000000001-us-east-1",
  OUTPUT_BUCKET_REGION: "us-east-1",
  OUTPUT_KEY_PREFIX_TEMPLATE: "run-command/{environment}/{account}/{region}",
  RUN_COMMAND_LOG_GROUP: "/patchline/run-command",
  SENDER_ADDRESS: "patchline@example.com",
};

function importMs(modulePath: string): number {
  const script = `const t = performance.now(); await import(${JSON.stringify(modulePath)}); process.stdout.write(String(performance.now() - t));`;
  // stderr ignored: on Node 20 the SDK warns that it will soon need Node 22 (Lambda runs nodejs22.x)
  const out = execFileSync(process.execPath, ["--input-type=module", "-e", script], { env: { PATH: process.env.PATH, ...lambdaEnvironment }, encoding: "utf8", stdio: ["ignore", "pipe", "ignore"] });
  return Number(out);
}

const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)]!;

export async function functionsBenchmark(): Promise<FunctionMeasurement[]> {
  const work = mkdtempSync(join(tmpdir(), "patchline-functions-bench-"));
  try {
    const artifacts = await buildFunctions({ outDir: join(work, "zips") });
    const results: FunctionMeasurement[] = [];
    for (const artifact of Object.values(artifacts)) {
      const code = unzipSync(readFileSync(artifact.zipPath))["index.mjs"]!;
      const dir = join(work, artifact.name);
      mkdirSync(dir);
      const modulePath = join(dir, "index.mjs");
      writeFileSync(modulePath, code);
      const times = Array.from({ length: RUNS }, () => importMs(modulePath));
      results.push({ name: artifact.name, sdkClients: await bundledSdkClients(artifact.name), zipKiB: artifact.bytes / 1024, bundleKiB: code.byteLength / 1024, medianImportMs: median(times), slowestImportMs: Math.max(...times) });
    }
    return results;
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
}

if (import.meta.url === `file://${process.argv[1]}`) {
  for (const m of await functionsBenchmark()) console.log(`${m.name}: zip ${m.zipKiB.toFixed(0)} KiB, import ${m.medianImportMs.toFixed(0)} ms (slowest ${m.slowestImportMs.toFixed(0)})`);
}
