import { describe, expect, it } from "vitest";
import type { z } from "zod";
import { orgApprovalSchema, environmentApprovalSchema } from "../../environments/schema/approval.js";
import { channelSchema, complianceSchema, environmentComplianceSchema } from "../../environments/schema/compliance.js";
import { accountSchema, environmentSchema } from "../../environments/schema/environment.js";
import { parseOrgConfig, operatingSystems } from "../../environments/schema/index.js";
import { installTaskSchema, maintenanceWindowSchema } from "../../environments/schema/maintenance-window.js";
import { orgSchema } from "../../environments/schema/org.js";
import { approvalRuleSchema, baselineDefinitionSchema, hookDocumentSchema } from "../../environments/schema/patching.js";
import { promotionSchema } from "../../environments/schema/promotion.js";
import { promotionExample, quickSightExample, scaffoldOrganization, slaExample, type ScaffoldOptions } from "./model.js";
import { scaffoldOptions } from "./options.js";
import { renderOrganization } from "./render.js";
import { literal } from "./text.js";

function optionsOf(flags: Parameters<typeof scaffoldOptions>[0]): ScaffoldOptions {
  const result = scaffoldOptions(flags);
  if (!result.options) throw new Error(result.problems.join("\n"));
  return result.options;
}

const options = optionsOf({ "organization-id": "o-a1b2c3d4e5", central: "100000000001", region: "eu-west-1", environments: "dev,preprod,prod" });
const files = renderOrganization(options);
const text = (file: string) => files.get(file)!;

/** Every `name:` written in the comments of a file. */
function commentedFields(source: string): Set<string> {
  const comments = source.split("\n").flatMap((line) => /^\s*\/\/(.*)$/.exec(line)?.[1] ?? []);
  return new Set(comments.flatMap((comment) => [...comment.matchAll(/([A-Za-z_]\w*)"?\s*:/g)].map((m) => m[1]!)));
}

/** The fields of an object schema a user may leave out (optional or with a default). */
function optionalFields(schema: z.ZodType): string[] {
  let inner = schema as unknown as { shape?: Record<string, z.ZodType>; _zod: { def: { innerType?: z.ZodType } } };
  while (inner.shape === undefined) inner = inner._zod.def.innerType as unknown as typeof inner;
  return Object.entries(inner.shape)
    .filter(([, field]) => field.safeParse(undefined).success)
    .map(([name]) => name);
}

describe("the scaffold's text", () => {
  it("is the organization it validates: index.ts, org.ts and the environment files say what scaffoldOrganization builds", () => {
    const organization = scaffoldOrganization(options);
    expect(() => parseOrgConfig(organization)).not.toThrow();
    expect(text("org.ts")).toContain(`  central: ${literal(organization.org.central)},\n`);
    expect(text("prod.ts")).toContain(`  approveAfterDays: 14,\n`);
    expect(text("preprod.ts")).toContain(`      schedule: "cron(0 21 ? * WED *)",\n      timeZone: "Europe/Dublin",\n`);
    expect([...files.keys()]).toEqual(["org.ts", "dev.ts", "preprod.ts", "prod.ts", "index.ts"]);
  });

  it.each([
    ["org.ts", "org", orgSchema, ["compliance"]],
    ["org.ts", "org.compliance", complianceSchema, ["schedule"]],
    ["org.ts", "org.approval", orgApprovalSchema, []],
    ["org.ts", "org.channels", channelSchema, []],
    ["org.ts", "org.baselines", baselineDefinitionSchema, []],
    ["org.ts", "an approval rule", approvalRuleSchema, ["complianceLevel"]],
    ["org.ts", "org.hookDocuments", hookDocumentSchema, []],
    ["prod.ts", "an environment", environmentSchema, ["approveAfterDays"]],
    ["prod.ts", "an account", accountSchema, []],
    ["prod.ts", "runCommandNotifications", environmentSchema.shape.runCommandNotifications, []],
    ["prod.ts", "an environment's compliance", environmentComplianceSchema, []],
    ["prod.ts", "an environment's approval", environmentApprovalSchema, []],
    ["prod.ts", "a maintenance window", maintenanceWindowSchema, ["description", "scan", "install"]],
    ["prod.ts", "an install task", installTaskSchema, ["rebootOption"]],
    ["prod.ts", "a promotion", promotionSchema, []],
  ] as const)("%s has every optional field of %s, commented out where it is not set", (file, _what, schema, active) => {
    const commented = commentedFields(text(file));
    const missing = optionalFields(schema as z.ZodType).filter((field) => !commented.has(field) && !(active as readonly string[]).includes(field));
    expect(missing).toEqual([]);
    const written = text(file)
      .split("\n")
      .filter((line) => !/^\s*\/\//.test(line));
    for (const field of active)
      expect(
        written.some((line) => line.includes(`${field}: `)),
        field,
      ).toBe(true);
  });

  it("leaves minDaysAfterPrevious off the first environment, where the schema forbids it", () => {
    expect(commentedFields(text("dev.ts")).has("minDaysAfterPrevious")).toBe(false);
    expect(text("preprod.ts")).toContain(
      "  // soak time: each install run at least this many days after dev's latest one (npm run schedule-preview checks it)\n  // minDaysAfterPrevious: 1,\n",
    );
  });

  it("offers each later environment a promotion from the one before, which parses when uncommented", () => {
    expect(text("prod.ts")).toContain(
      `  // approve only patches that passed preprod, as npm run promote -- --from preprod --to prod records them (docs/promotion.md)\n  // promotion: ${literal(promotionExample("preprod"))},\n`,
    );
    expect(commentedFields(text("dev.ts")).has("promotion")).toBe(false);
    const organization = scaffoldOrganization(options) as { environments: Record<string, Record<string, unknown>> };
    organization.environments.preprod!.promotion = promotionExample("dev");
    organization.environments.prod!.promotion = promotionExample("preprod");
    const promoted = parseOrgConfig(organization as unknown as Parameters<typeof parseOrgConfig>[0]);
    expect(promoted.environments.map((e) => e.promotion?.from)).toEqual([undefined, "dev", "preprod"]);
    // the example spells out the defaults: uncommented, it changes nothing but switching promotion on
    expect(promoted.environments[2]!.promotion).toEqual(promotionSchema.parse({ from: "preprod" }));
  });

  it("offers the patch SLA and the QuickSight dashboard commented out, valid when uncommented", () => {
    expect(text("org.ts")).toContain(`    // sla: ${literal(slaExample)},\n`);
    expect(text("org.ts")).toContain(`    // quicksight: {\n    //   authors: ${literal(quickSightExample(options).authors)},\n`);
    expect(text("org.ts")).toContain(`    //   refresh: { timeOfDay: "09:00", timeZone: ${literal(options.timeZone)} },\n    // },\n`);
    const organization = scaffoldOrganization(options);
    organization.org.compliance = { ...organization.org.compliance!, sla: slaExample, quicksight: quickSightExample(options) };
    const parsed = parseOrgConfig(organization);
    expect(parsed.org.compliance.sla).toEqual(slaExample);
    expect(parsed.org.compliance.quicksight?.authors).toEqual([`arn:aws:quicksight:eu-west-1:100000000001:group/default/patchline-platform-team`]);
  });

  it("comments out each channel type, the organizational units and the OS baselines not chosen", () => {
    for (const type of ["teams", "slack", "email"]) expect(text("org.ts")).toMatch(new RegExp(`^ {2}// {3}"[a-z-]+": \\{ type: "${type}"`, "m"));
    for (const os of operatingSystems.filter((o) => !options.operatingSystems.includes(o))) expect(text("org.ts")).toContain(`    // ${os}: {\n`);
    for (const os of options.operatingSystems) expect(text("org.ts")).toContain(`\n    ${os}: {\n`);
  });

  it("explains every commented-out feature in the line above it", () => {
    const unexplained = [...files].flatMap(([file, source]) => {
      const lines = source.split("\n");
      // a commented-out property follows its explanation, or another line of the same commented-out block
      return lines.flatMap((line, i) =>
        /^\s*\/\/ [A-Za-z_"][\w-]*"?: /.test(line) && !/^\s*\/\//.test(lines[i - 1] ?? "") ? [`${file}:${i + 1}: ${line.trim()}`] : [],
      );
    });
    expect(unexplained).toEqual([]);
  });
});
