import { execFileSync } from "node:child_process";
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { unzipSync } from "fflate";
import { functionFolders, type FunctionName } from "../contracts/functions.js";
import { bundledSdkClients, buildFunctions } from "../functions/build.js";
import { synthOrg } from "../test/support/synth.js";
import { bodiesOf } from "../test/support/terraform-json.js";

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

/** What Lambda itself sets in every function's environment. */
const lambdaRuntimeEnvironment = { AWS_REGION: "us-east-1", AWS_LAMBDA_FUNCTION_NAME: "bench" };

/**
 * Each function's environment exactly as the central stack of the example organization sets it
 * (values that are Terraform references stay unresolved strings: nothing is called at import).
 */
/**
 * Terraform fills in references at apply; a function that checks a variable when it starts (the
 * callback parses its page's URL) needs the deployed shape of the value to import at all.
 */
function deployedValue(value: string): string {
  return /^\$\{aws_apigatewayv2_api\.[^}]+\.api_endpoint\}$/.test(value) ? "https://a1b2c3d4e5.execute-api.us-east-1.amazonaws.com" : value;
}

function stackEnvironments(): Map<string, Record<string, string>> {
  const { stacks, config } = synthOrg({ mode: { offline: true } });
  const prefix = `${config.org.namePrefix}-`;
  const environments = new Map<string, Record<string, string>>();
  for (const body of bodiesOf(stacks.get("central")!.json, "aws_lambda_function")) {
    const name = String(body.function_name).slice(prefix.length);
    const variables = ((body.environment as { variables?: Record<string, string> } | undefined)?.variables ?? {}) as Record<string, string>;
    environments.set(name, Object.fromEntries(Object.entries(variables).map(([key, value]) => [key, deployedValue(value)])));
  }
  return environments;
}

function importMs(modulePath: string, environment: Record<string, string>): number {
  const script = `const t = performance.now(); await import(${JSON.stringify(modulePath)}); process.stdout.write(String(performance.now() - t));`;
  // stderr ignored: on Node 20 the SDK warns that it will soon need Node 22 (Lambda runs nodejs22.x);
  // a function that fails to import fails execFileSync with its exit code
  const out = execFileSync(process.execPath, ["--input-type=module", "-e", script], {
    env: { PATH: process.env.PATH, ...lambdaRuntimeEnvironment, ...environment },
    encoding: "utf8",
    stdio: ["ignore", "pipe", "ignore"],
  });
  return Number(out);
}

const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)]!;

export async function functionsBenchmark(): Promise<FunctionMeasurement[]> {
  const work = mkdtempSync(join(tmpdir(), "patchline-functions-bench-"));
  try {
    const artifacts = await buildFunctions({ outDir: join(work, "zips") });
    const environments = stackEnvironments();
    const results: FunctionMeasurement[] = [];
    for (const artifact of Object.values(artifacts)) {
      const environment = environments.get(artifact.name);
      if (!environment) throw new Error(`function ${artifact.name} is built but the central stack of the example organization does not deploy it`);
      const code = unzipSync(readFileSync(artifact.zipPath))["index.mjs"]!;
      const dir = join(work, artifact.name);
      mkdirSync(dir);
      const modulePath = join(dir, "index.mjs");
      writeFileSync(modulePath, code);
      const times = Array.from({ length: RUNS }, () => importMs(modulePath, environment));
      results.push({
        name: artifact.name,
        sdkClients: await bundledSdkClients(functionFolders[artifact.name as FunctionName]),
        zipKiB: artifact.bytes / 1024,
        bundleKiB: code.byteLength / 1024,
        medianImportMs: median(times),
        slowestImportMs: Math.max(...times),
      });
    }
    return results;
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
}

if (import.meta.url === `file://${process.argv[1]}`) {
  for (const m of await functionsBenchmark())
    console.log(`${m.name}: zip ${m.zipKiB.toFixed(0)} KiB, import ${m.medianImportMs.toFixed(0)} ms (slowest ${m.slowestImportMs.toFixed(0)})`);
}
