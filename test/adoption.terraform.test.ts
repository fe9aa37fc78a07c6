import { appendFileSync, existsSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { cdktfApp, copyRepository, replaceOrganization, REPOSITORY, runInCopy } from "./support/repository-copy.js";
import type { TerraformJson } from "./support/terraform-json.js";

/**
 * A team adopts patchline by replacing environments/ with its own organization. These tests do
 * that to a copy of the repository and run the project's own commands there: the organization
 * that main.ts renders is really swapped, not passed in.
 */
const minimal = join(REPOSITORY, "test", "fixtures", "organizations", "minimal");

/** The suite that checks environments/, run in the copy as `npm test` runs it. */
const yourOrganizationSuite = (copy: string) =>
  runInCopy(copy, join(copy, "node_modules", ".bin", "vitest"), ["run", "test/your-organization.terraform.test.ts"], {
    PATCHLINE_PLUGIN_CACHE: join(copy, ".terraform", "plugin-cache"),
  });

describe("your organization in environments/", () => {
  it("replaced by another valid organization: it lints, type-checks, and the suite that checks it passes", () => {
    const copy = copyRepository();
    replaceOrganization(copy, minimal);
    // written the user's way, not the project's: the formatter has no say over environments/
    appendFileSync(join(copy, "environments", "org.ts"), "\nexport const  reviewedBy   =  [ 'platform-team' ]\n");
    const lint = runInCopy(copy, "npm", ["run", "--silent", "lint"]);
    expect(lint.code, lint.output).toBe(0);
    const typecheck = runInCopy(copy, join(copy, "node_modules", ".bin", "tsc"), ["--noEmit"]);
    expect(typecheck.output.trim()).toBe("");
    expect(typecheck.code).toBe(0);
    const suite = yourOrganizationSuite(copy);
    expect(suite.output).toMatch(/Tests\s+\S*4 passed/);
    expect(suite.code).toBe(0);
  }, 300_000);

  it("replaced by the skeleton of npm run new-org: the suite that checks it passes", () => {
    const copy = copyRepository();
    const scaffold = runInCopy(copy, "npm", [
      "run",
      "--silent",
      "new-org",
      "--",
      "--organization-id",
      "o-k2m4p6r8t0",
      "--central",
      "318899001122",
      "--region",
      "ap-southeast-2",
      "--environments",
      "test,live",
      "--account",
      "live=318899001133:shop",
      "--force",
    ]);
    expect(scaffold.code, scaffold.output).toBe(0);
    const suite = yourOrganizationSuite(copy);
    expect(suite.output).toMatch(/Tests\s+\S*4 passed/);
    expect(suite.code).toBe(0);
  }, 300_000);

  it("replaced by an invalid organization: the suite fails naming every configuration problem, and synth writes nothing", () => {
    const copy = copyRepository();
    replaceOrganization(copy, minimal);
    const live = join(copy, "environments", "live.ts");
    writeFileSync(live, readFileSync(live, "utf8").replace('"742233445566"', '"74223344556"').replace('"Europe/Berlin"', '"Berlin"'));
    const problems = [
      'live.accounts[0].id: "74223344556" is not a 12-digit AWS account id',
      'live.maintenanceWindows[0].timeZone: "Berlin" is not an IANA time zone (e.g. "America/Chicago", "Europe/Berlin", "UTC")',
    ];

    const suite = yourOrganizationSuite(copy);
    expect(suite.code).toBe(1);
    for (const problem of problems) expect(suite.output).toContain(problem);
    expect(suite.output).toMatch(/Tests\s+\S*1 failed\S*\s+\(1\)/);

    const synth = cdktfApp(copy, join(copy, "out"));
    expect(synth.code).toBe(1);
    for (const problem of problems) expect(synth.output).toContain(problem);
    expect(existsSync(join(copy, "out", "stacks"))).toBe(false);
  }, 300_000);
});

describe("cdktf synth and deploy package the current function code", () => {
  const noticesHash = (outdir: string) => {
    const central = JSON.parse(readFileSync(join(outdir, "stacks", "central", "cdk.tf.json"), "utf8")) as TerraformJson;
    const functions = Object.values(central.resource?.aws_lambda_function ?? {}) as { function_name: string; source_code_hash: string }[];
    const notices = functions.find((f) => f.function_name.endsWith("-patch-notices"));
    if (!notices) throw new Error("the central stack has no patch-notices function");
    return notices.source_code_hash;
  };

  it("bundles a function again when its source changed, and only then", () => {
    const copy = copyRepository();
    const outdir = join(copy, "cdktf.out");
    const first = cdktfApp(copy, outdir);
    expect(first.code, first.output).toBe(0);
    expect(first.output).toContain("patchline: bundled approval-callback,");
    const before = noticesHash(outdir);

    appendFileSync(join(copy, "functions", "compliance", "notices", "handler.ts"), '\nconsole.log("patch-notices changed by a test");\n');
    const second = cdktfApp(copy, outdir);
    expect(second.code, second.output).toBe(0);
    expect(second.output).toContain("patchline: bundled patch-notices\n");
    const after = noticesHash(outdir);
    expect(after).not.toBe(before);

    const third = cdktfApp(copy, outdir);
    expect(third.code, third.output).toBe(0);
    expect(third.output).not.toContain("bundled");
    expect(noticesHash(outdir)).toBe(after);
  }, 300_000);
});
