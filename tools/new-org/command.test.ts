import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { organizationFolder, runNewOrg } from "../../test/support/new-org.js";
import { nodeFileOps } from "./write.js";

const validFlags = { "--organization-id": "o-a1b2c3d4e5", "--central": "100000000001", "--region": "us-east-1", "--environments": "dev,prod" };
const valid = Object.entries(validFlags).flat();

let folder: ReturnType<typeof organizationFolder>;
beforeEach(() => (folder = organizationFolder()));
afterEach(() => folder.remove());

/** Every file under `dir` with its text (links and what they point to left alone). */
function snapshot(dir: string): Record<string, string> {
  return Object.fromEntries(
    readdirSync(dir, { withFileTypes: true })
      .filter((entry) => entry.isFile())
      .map((entry) => [entry.name, readFileSync(join(dir, entry.name), "utf8")]),
  );
}

/** An organization as a user would have it: the example's files, a README, the schema link. */
function existingOrganization(): Record<string, string> {
  writeFileSync(join(folder.dir, "org.ts"), "export const org = {}; // the user's\n");
  writeFileSync(join(folder.dir, "dev.ts"), "export const dev = {}; // the user's\n");
  writeFileSync(join(folder.dir, "preprod.ts"), "export const preprod = {}; // the user's\n");
  writeFileSync(join(folder.dir, "index.ts"), "export const organization = {}; // the user's\n");
  writeFileSync(join(folder.dir, "NOTES.md"), "not an organization file\n");
  return snapshot(folder.dir);
}

const scratchLeft = () => readdirSync(folder.parent).filter((name) => name.startsWith("."));

describe("npm run new-org", () => {
  it("writes the organization and says what to do next", () => {
    const result = runNewOrg([...valid, "--dir", folder.dir]);
    expect(result.code).toBe(0);
    expect(result.err).toBe("");
    expect(result.out).toContain(`wrote ${["org.ts", "dev.ts", "prod.ts", "index.ts"].map((f) => join(folder.dir, f)).join(", ")}\n`);
    expect(result.out).toContain("  - add the member accounts of dev, prod: npm run discover-accounts -- --env dev --ou <ou-id> --write");
    expect(result.out).not.toContain("note:");
    expect(scratchLeft()).toEqual([]);
  });

  it("refuses to replace an organization without --force: exit 2, the files named, nothing changed", () => {
    const before = existingOrganization();
    const result = runNewOrg([...valid, "--dir", folder.dir]);
    expect(result).toEqual({
      code: 2,
      out: "",
      err: `${folder.dir} already holds an organization (dev.ts, index.ts, org.ts, preprod.ts); nothing written. --force replaces these files (${join(folder.dir, "schema")}/ stays), or choose another --dir`,
    });
    expect(snapshot(folder.dir)).toEqual(before);
    expect(scratchLeft()).toEqual([]);
  });

  it("with --force replaces every top-level .ts file, removes environments no longer listed, and leaves schema/ and other files alone", () => {
    existingOrganization();
    const schemaBefore = readdirSync(join(folder.dir, "schema")).sort();
    const result = runNewOrg([...valid, "--dir", folder.dir, "--force"]);
    expect(result.code).toBe(0);
    expect(result.out).toContain(`; removed ${join(folder.dir, "preprod.ts")}\n`);
    expect(readdirSync(folder.dir).sort()).toEqual(["NOTES.md", "dev.ts", "index.ts", "org.ts", "prod.ts", "schema"]);
    expect(readFileSync(join(folder.dir, "dev.ts"), "utf8")).toContain("export const dev: EnvironmentInput = {");
    expect(readFileSync(join(folder.dir, "NOTES.md"), "utf8")).toBe("not an organization file\n");
    expect(readdirSync(join(folder.dir, "schema")).sort()).toEqual(schemaBefore);
    expect(scratchLeft()).toEqual([]);
  });

  it("puts the old organization back when a file cannot be moved in half-way", () => {
    const before = existingOrganization();
    let moves = 0;
    const failing = {
      ...nodeFileOps,
      rename: (from: string, to: string) => {
        // the old files move aside first (4), then the new ones in: the second new one fails
        if (++moves === 6) throw Object.assign(new Error(`EIO: i/o error, rename '${from}' -> '${to}'`), { code: "EIO" });
        nodeFileOps.rename(from, to);
      },
    };
    expect(() => runNewOrg([...valid, "--dir", folder.dir, "--force"], failing)).toThrow(/^EIO: i\/o error, rename/);
    expect(snapshot(folder.dir)).toEqual(before);
    expect(scratchLeft()).toEqual([]);
  });

  it("creates a folder that does not exist, and notes that it has no schema/", () => {
    const dir = join(mkdtempSync(join(tmpdir(), "patchline-new-org-bare-")), "org");
    try {
      const result = runNewOrg([...valid, "--dir", dir]);
      expect(result.code).toBe(0);
      expect(result.out).toContain(
        `note: ${join(dir, "schema")}/ is missing; the files import their types from ./schema/index.js (patchline's environments/schema)`,
      );
      expect(readdirSync(dir).sort()).toEqual(["dev.ts", "index.ts", "org.ts", "prod.ts"]);
    } finally {
      rmSync(join(dir, ".."), { recursive: true, force: true });
    }
  });

  it("reports bad values by flag, all at once, with the value and what is allowed; exit 2 and nothing written", () => {
    const result = runNewOrg([
      ...["--organization-id", "o-abc", "--central", "1234", "--region", "us-east-9", "--environments", "dev,Prod"],
      ...["--account", "dev=12345", "--account", "qa=400000000001", "--account", "prod", "--name-prefix", "P", "--time-zone", "Mars/Olympus"],
      ...["--dir", folder.dir],
    ]);
    expect(result.code).toBe(2);
    expect(result.out).toBe("");
    expect(result.err).toBe(
      [
        "new-org has 9 problems; nothing written:",
        '  - --account: "qa=400000000001" names environment "qa", which is not in --environments (dev, Prod)',
        '  - --account: "prod" is not <env>=<12-digit account id>[:<name>] (e.g. "prod=123456789012:web-prod")',
        '  - --name-prefix: "P" is not a valid name prefix: 3-20 lowercase letters, digits and hyphens, starting with a letter',
        '  - --organization-id: "o-abc" is not an AWS Organizations id (e.g. "o-a1b2c3d4e5")',
        '  - --central: "1234" is not a 12-digit AWS account id',
        '  - --region: "us-east-9" is not an AWS region code (e.g. "us-east-1")',
        '  - --environments: "Prod" is not a valid environment name: 2-16 lowercase letters and digits, starting with a letter',
        '  - --time-zone: "Mars/Olympus" is not an IANA time zone (e.g. "America/Chicago", "Europe/Berlin", "UTC")',
        '  - --account "dev=12345": "12345" is not a 12-digit AWS account id',
        "",
        "npm run new-org -- --help shows the usage",
      ].join("\n"),
    );
    expect(readdirSync(folder.dir)).toEqual(["schema"]);
    expect(scratchLeft()).toEqual([]);
  });

  it.each<[Record<string, string>, string[], string[]]>([
    [{}, [], ["--organization-id is required", "--central is required", "--region is required", "--environments is required"]],
    [{ "--environments": "dev,,prod" }, [], ['--environments: "dev,,prod" has an empty name']],
    [{ "--environments": "dev,org" }, [], ['--environments: "org" cannot be an environment name: org.ts holds the organization settings']],
    [{ "--environments": "dev,prod,dev" }, [], ['--environments: "dev" is listed twice in promotionOrder']],
    [
      { "--operating-systems": "WINDOWS,SUSE" },
      [],
      ['--operating-systems: "SUSE" is not an operating system; allowed: AMAZON_LINUX_2023, AMAZON_LINUX_2, REDHAT_ENTERPRISE_LINUX'],
    ],
    [{ "--state-bucket": "My_Bucket" }, [], ['--state-bucket: "My_Bucket" is not an S3 bucket name']],
    [{ "--deploy-role": "deploy role" }, [], ['--deploy-role: "deploy role" is not an IAM role name']],
    [
      {},
      ["--account", "dev=400000000001", "--account", "prod=400000000001"],
      ['--account "prod=400000000001": "400000000001" is already in dev.accounts[0]; an account belongs to exactly one environment'],
    ],
  ])("rejects %j %j with exit 2", (changed, extra, messages) => {
    const flags: Record<string, string> = Object.keys(changed).length === 0 && extra.length === 0 ? {} : { ...validFlags, ...changed };
    const result = runNewOrg([...Object.entries(flags).flat(), ...extra, "--dir", folder.dir]);
    expect(result.code).toBe(2);
    for (const message of messages) expect(result.err).toContain(`  - ${message}`);
    expect(readdirSync(folder.dir)).toEqual(["schema"]);
  });

  it("prints its usage with --help, and rejects unknown options with it", () => {
    expect(runNewOrg(["--help"])).toMatchObject({
      code: 0,
      out: expect.stringMatching(/^usage: npm run new-org -- --organization-id <o-…> --central <account-id> --region <region> --environments/),
    });
    expect(runNewOrg(["--organisation-id", "o-a1b2c3d4e5"])).toMatchObject({ code: 2, err: expect.stringMatching(/^Unknown option '--organisation-id'/) });
  });
});
