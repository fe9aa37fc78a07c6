import { describe, expect, it } from "vitest";
import { parseOrgConfig } from "../../environments/schema/index.js";
import { exampleWith } from "../../test/support/config.js";
import { exampleConfig, exampleNaming, synthConstruct } from "../../test/support/construct-synth.js";
import { bySid, statementsOf } from "../../test/support/policies.js";
import { fixtureRecord, PROMOTED_AT, promoteExactly } from "../../test/support/promotion.js";
import { bodiesOf } from "../../test/support/terraform-json.js";
import { installOverrideListYaml } from "./install-override-list.js";
import { InstallOverrideLists } from "./install-override-lists.js";

const synth = (config = exampleConfig) =>
  synthConstruct((stack, provider) => new InstallOverrideLists(stack, "Promotions", { config, naming: exampleNaming, provider }));

/** The example with prod's promotion in a mode, with the fixture's record when asked. */
function promoted(mode: "baseline" | "install-override-list", record = true) {
  const draft = exampleWith((d) => (mode === "install-override-list" ? promoteExactly(d) : (d.environments.prod.promotion.mode = mode)));
  return parseOrgConfig(record ? { ...draft, promotions: { prod: fixtureRecord(draft) } } : draft, { now: PROMOTED_AT });
}

describe("the install override lists of the central stack", () => {
  it("exist only where an environment is promoted in mode install-override-list", () => {
    expect(bodiesOf(synth(), "aws_s3_bucket")).toEqual([]);
    expect(bodiesOf(synth(promoted("baseline")), "aws_s3_bucket")).toEqual([]);
    // configured, before the first record: the bucket, no list yet
    const configured = synth(promoted("install-override-list", false));
    expect(bodiesOf(configured, "aws_s3_bucket").map((b) => b.bucket)).toEqual(["patchline-promotions-100000000001-us-east-1"]);
    expect(bodiesOf(configured, "aws_s3_object")).toEqual([]);
  });

  it("are written from the record, in a bucket without Object Lock that instances of the organization may read", () => {
    const config = promoted("install-override-list");
    const json = synth(config);
    expect(bodiesOf(json, "aws_s3_bucket")[0]!.object_lock_enabled).toBeUndefined();
    expect(bodiesOf(json, "aws_s3_object")).toEqual([
      expect.objectContaining({
        key: "prod/install-override-list.yaml",
        content: installOverrideListYaml(config.environments.find((e) => e.name === "prod")!.promotionRecord!),
        content_type: "application/yaml",
      }),
    ]);
    expect(bySid(statementsOf(json, "aws_s3_bucket_policy", "policy", () => true)).OrganizationInstancesReadInstallOverrideLists).toMatchObject({
      actions: ["s3:GetObject"],
      resources: ["arn:aws:s3:::patchline-promotions-100000000001-us-east-1/*"],
      principals: [{ type: "AWS", identifiers: ["*"] }],
      conditions: [{ test: "StringEquals", variable: "aws:PrincipalOrgID", values: ["o-exampleorg1"] }],
    });
    expect(exampleNaming.installOverrideListUrl("prod")).toBe(
      "https://s3.us-east-1.amazonaws.com/patchline-promotions-100000000001-us-east-1/prod/install-override-list.yaml",
    );
  });
});
