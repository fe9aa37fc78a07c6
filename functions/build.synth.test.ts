import { createHash } from "node:crypto";
import { cpSync, mkdirSync, mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { unzipSync } from "fflate";
import { describe, expect, it } from "vitest";
import { functionFolders } from "../contracts/functions.js";
import { bundledSdkClients, buildFunctions, deterministicZip, discoverHandlerFolders, readManifest, type BuildOptions } from "./build.js";

/** A functions folder with one handler (in a feature folder) that imports a helper, and a shared/ folder. */
function fixture(source = 'import { hello } from "./hello.js";\nexport const handler = async () => hello();\n'): string {
  const dir = mkdtempSync(join(tmpdir(), "patchline-fn-"));
  mkdirSync(join(dir, "demo", "greeter"), { recursive: true });
  mkdirSync(join(dir, "demo", "shared"));
  writeFileSync(join(dir, "demo", "greeter", "handler.ts"), source);
  writeFileSync(join(dir, "demo", "greeter", "hello.ts"), 'export const hello = () => ({ statusCode: 200, body: "hi" });\n');
  writeFileSync(join(dir, "demo", "shared", "handler.ts"), "export const notAFunction = 1;\n");
  return dir;
}

/** Builds the fixture's functions (deployed name → folder). */
const greeter = { greeter: "demo/greeter" };

describe("discoverHandlerFolders", () => {
  it("finds the folders with a handler.ts at any depth, never inside shared/", () => {
    expect(discoverHandlerFolders(fixture())).toEqual(["demo/greeter"]);
  });
});

describe("buildFunctions", () => {
  it("bundles each handler into index.mjs inside a zip whose hash the manifest records", async () => {
    const outDir = mkdtempSync(join(tmpdir(), "patchline-out-"));
    const artifacts = await buildFunctions({ functions: greeter, functionsDir: fixture(), outDir });
    const zip = readFileSync(artifacts.greeter!.zipPath);
    expect(artifacts.greeter!.sha256Base64).toBe(createHash("sha256").update(zip).digest("base64"));
    expect(Object.keys(unzipSync(zip))).toEqual(["index.mjs"]);
    const manifest = JSON.parse(readFileSync(join(outDir, "manifest.json"), "utf8"));
    expect(manifest.greeter.sha256Base64).toBe(artifacts.greeter!.sha256Base64);
  });

  it("produces a bundle that runs as an ES module with the handler exported", async () => {
    const outDir = mkdtempSync(join(tmpdir(), "patchline-out-"));
    const artifacts = await buildFunctions({ functions: greeter, functionsDir: fixture(), outDir });
    const code = unzipSync(readFileSync(artifacts.greeter!.zipPath))["index.mjs"]!;
    const modulePath = join(outDir, "index.mjs");
    writeFileSync(modulePath, code);
    const mod = (await import(modulePath)) as { handler: () => Promise<unknown> };
    expect(await mod.handler()).toEqual({ statusCode: 200, body: "hi" });
  });

  it("gives byte-identical zips for the same code, built in different folders at different times", async () => {
    const first = await buildFunctions({ functions: greeter, functionsDir: fixture(), outDir: mkdtempSync(join(tmpdir(), "patchline-out-")) });
    await new Promise((r) => setTimeout(r, 1100));
    const second = await buildFunctions({ functions: greeter, functionsDir: fixture(), outDir: mkdtempSync(join(tmpdir(), "patchline-out-")) });
    expect(second.greeter!.sha256Base64).toBe(first.greeter!.sha256Base64);
  });

  it("changes the hash when the code changes", async () => {
    const a = await buildFunctions({ functions: greeter, functionsDir: fixture(), outDir: mkdtempSync(join(tmpdir(), "patchline-out-")) });
    const b = await buildFunctions({
      functions: greeter,
      functionsDir: fixture('export const handler = async () => "changed";\n'),
      outDir: mkdtempSync(join(tmpdir(), "patchline-out-")),
    });
    expect(b.greeter!.sha256Base64).not.toBe(a.greeter!.sha256Base64);
  });
});

describe("buildFunctions, reusing unchanged builds", () => {
  /** Builds with reuse and returns what happened to each function. */
  async function build(options: BuildOptions): Promise<Record<string, string>> {
    const outcomes: Record<string, string> = {};
    await buildFunctions({ ...options, reuseUnchanged: true, onFunction: (name, outcome) => (outcomes[name] = outcome) });
    return outcomes;
  }

  /** The greeter fixture plus a function that shares none of its files. */
  function twoFunctions(): string {
    const dir = fixture();
    mkdirSync(join(dir, "demo", "other"));
    writeFileSync(join(dir, "demo", "other", "handler.ts"), 'export const handler = async () => "other";\n');
    return dir;
  }
  const both = { ...greeter, other: "demo/other" };

  it("bundles again only the functions that import a changed file", async () => {
    const functionsDir = twoFunctions();
    const outDir = mkdtempSync(join(tmpdir(), "patchline-out-"));
    expect(await build({ functions: both, functionsDir, outDir })).toEqual({ greeter: "bundled", other: "bundled" });
    const before = readManifest(outDir).greeter!.sha256Base64;
    expect(await build({ functions: both, functionsDir, outDir })).toEqual({ greeter: "unchanged", other: "unchanged" });

    writeFileSync(join(functionsDir, "demo", "greeter", "hello.ts"), 'export const hello = () => ({ statusCode: 200, body: "hello" });\n');
    expect(await build({ functions: both, functionsDir, outDir })).toEqual({ greeter: "bundled", other: "unchanged" });
    expect(readManifest(outDir).greeter!.sha256Base64).not.toBe(before);
  });

  it("bundles again when a function's folder changes, though its old sources did not", async () => {
    const functionsDir = twoFunctions();
    const outDir = mkdtempSync(join(tmpdir(), "patchline-out-"));
    await build({ functions: both, functionsDir, outDir });
    mkdirSync(join(functionsDir, "demo", "greeter-v2"));
    writeFileSync(join(functionsDir, "demo", "greeter-v2", "handler.ts"), 'export const handler = async () => "v2";\n');
    expect(await build({ functions: { ...both, greeter: "demo/greeter-v2" }, functionsDir, outDir })).toEqual({ greeter: "bundled", other: "unchanged" });
  });

  it("bundles again when the zip on disk is not the one the manifest records", async () => {
    const functionsDir = twoFunctions();
    const outDir = mkdtempSync(join(tmpdir(), "patchline-out-"));
    await build({ functions: both, functionsDir, outDir });
    writeFileSync(join(outDir, "other.zip"), "not the build");
    expect(await build({ functions: both, functionsDir, outDir })).toEqual({ greeter: "unchanged", other: "bundled" });
  });

  it("keeps zip paths relative to the manifest, so a build folder that moved is still reused", async () => {
    const functionsDir = twoFunctions();
    const first = mkdtempSync(join(tmpdir(), "patchline-out-"));
    await build({ functions: both, functionsDir, outDir: first });
    expect(JSON.parse(readFileSync(join(first, "manifest.json"), "utf8")).greeter.zipPath).toBe("greeter.zip");
    const moved = join(mkdtempSync(join(tmpdir(), "patchline-moved-")), "functions");
    cpSync(first, moved, { recursive: true });
    expect(readManifest(moved).greeter!.zipPath).toBe(join(moved, "greeter.zip"));
    expect(await build({ functions: both, functionsDir, outDir: moved })).toEqual({ greeter: "unchanged", other: "unchanged" });
  });

  it("rebuilds everything without reuse", async () => {
    const functionsDir = twoFunctions();
    const outDir = mkdtempSync(join(tmpdir(), "patchline-out-"));
    await build({ functions: both, functionsDir, outDir });
    const outcomes: string[] = [];
    await buildFunctions({ functions: both, functionsDir, outDir, onFunction: (_, outcome) => outcomes.push(outcome) });
    expect(outcomes).toEqual(["bundled", "bundled"]);
  });
});

describe("deterministicZip", () => {
  it("orders entries by name and fixes their timestamps and modes", () => {
    const zip = deterministicZip({ "b.txt": new TextEncoder().encode("b"), "a.txt": new TextEncoder().encode("a") });
    expect(Object.keys(unzipSync(zip))).toEqual(["a.txt", "b.txt"]);
    expect(
      Buffer.from(deterministicZip({ "a.txt": new TextEncoder().encode("a") })).equals(
        Buffer.from(deterministicZip({ "a.txt": new TextEncoder().encode("a") })),
      ),
    ).toBe(true);
  });
});

describe("bundledSdkClients", () => {
  it.each([
    ["approval-callback", ["client-dynamodb", "client-kms", "client-sfn"]],
    ["approval-instance", ["client-ec2", "client-s3", "client-sts"]],
    ["approval-outcome", ["client-dynamodb", "client-sesv2", "client-sns"]],
    ["approval-patch", ["client-ssm", "client-sts"]],
    // client-secrets-manager: the chat channels' webhook URLs (approval.channels)
    ["approval-request", ["client-dynamodb", "client-kms", "client-secrets-manager", "client-sesv2", "client-sfn", "client-sns"]],
  ] as const)("%s bundles only the SDK clients it uses", async (name, clients) => {
    expect(await bundledSdkClients(functionFolders[name])).toEqual(clients);
  });
});
