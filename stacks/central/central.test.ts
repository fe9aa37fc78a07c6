import { describe, expect, it } from "vitest";
import { Construct } from "constructs";
import { exampleConfig, exampleNaming, synthConstruct } from "../../test/support/construct-synth.js";
import { bySid, statementsOf } from "../../test/support/policies.js";
import { bodiesOf } from "../../test/support/terraform-json.js";
import { CentralEventBus } from "./event-bus.js";
import { CentralLogBucket } from "./log-bucket.js";
import { CentralKey, NotificationsTopic } from "./notifications.js";
import { keyPrincipals } from "../core/key-policy.js";
import { recordRoleGrants } from "../core/role-grants.js";

describe("CentralLogBucket", () => {
  const json = synthConstruct(
    (stack, provider) =>
      new CentralLogBucket(stack, "Logs", {
        naming: exampleNaming,
        organizationId: "o-exampleorg1",
        environments: ["dev", "prod"],
        outputRetentionDays: 365,
        noncurrentVersionRetentionDays: 30,
        provider,
      }),
  );

  it("is named from the central account and region", () => {
    expect(bodiesOf(json, "aws_s3_bucket")[0]).toMatchObject({ bucket: "patchline-logs-100000000001-us-east-1" });
  });

  it("is versioned, encrypted, private and owner-enforced", () => {
    expect(bodiesOf(json, "aws_s3_bucket_versioning")[0]).toMatchObject({ versioning_configuration: { status: "Enabled" } });
    expect(bodiesOf(json, "aws_s3_bucket_server_side_encryption_configuration")[0]).toMatchObject({
      rule: [{ apply_server_side_encryption_by_default: { sse_algorithm: "AES256" } }],
    });
    expect(bodiesOf(json, "aws_s3_bucket_public_access_block")[0]).toMatchObject({
      block_public_acls: true,
      block_public_policy: true,
      ignore_public_acls: true,
      restrict_public_buckets: true,
    });
    expect(bodiesOf(json, "aws_s3_bucket_ownership_controls")[0]).toMatchObject({ rule: { object_ownership: "BucketOwnerEnforced" } });
  });

  it("expires output, old versions and incomplete uploads", () => {
    expect(bodiesOf(json, "aws_s3_bucket_lifecycle_configuration")[0]!.rule).toEqual([
      expect.objectContaining({
        status: "Enabled",
        expiration: [{ days: 365 }],
        noncurrent_version_expiration: [{ noncurrent_days: 30 }],
        abort_incomplete_multipart_upload: [{ days_after_initiation: 7 }],
      }),
    ]);
  });

  it("lets organization principals write only below their own account id, per environment", () => {
    const statements = bySid(statementsOf(json, "aws_s3_bucket_policy", "policy"));
    expect(statements.OrganizationMembersWriteOwnRunCommandOutput).toMatchObject({
      actions: ["s3:PutObject"],
      resources: [
        "arn:aws:s3:::patchline-logs-100000000001-us-east-1/run-command/dev/&{aws:PrincipalAccount}/*",
        "arn:aws:s3:::patchline-logs-100000000001-us-east-1/run-command/prod/&{aws:PrincipalAccount}/*",
      ],
      conditions: [{ test: "StringEquals", variable: "aws:PrincipalOrgID", values: ["o-exampleorg1"] }],
    });
  });

  it("denies every request without TLS", () => {
    expect(bySid(statementsOf(json, "aws_s3_bucket_policy", "policy")).DenyInsecureTransport).toMatchObject({
      effect: "Deny",
      actions: ["s3:*"],
      conditions: [{ test: "Bool", variable: "aws:SecureTransport", values: ["false"] }],
    });
  });
});

describe("CentralKey and NotificationsTopic", () => {
  const json = synthConstruct((stack, provider) => {
    const key = new CentralKey(stack, "Key", {
      naming: exampleNaming,
      principals: keyPrincipals(exampleConfig.org, exampleNaming),
      region: "us-east-1",
      provider,
    });
    // a role whose policy decrypts with the key: the key's policy names it (central-key.test.ts checks the whole stack)
    const roleArn = "arn:aws:iam::100000000001:role/patchline-reader";
    recordRoleGrants(new Construct(stack, "Reader"), { roleArn, statements: [{ sid: "Read", actions: ["kms:Decrypt"], resources: [key.key.arn] }] });
    new NotificationsTopic(stack, "Topic", { naming: exampleNaming, key: key.key, emailSubscribers: ["oncall@example.com"], provider });
  });

  it("rotates the key and names it with an alias", () => {
    expect(bodiesOf(json, "aws_kms_key")[0]).toMatchObject({ enable_key_rotation: true, deletion_window_in_days: 30 });
    expect(bodiesOf(json, "aws_kms_alias")[0]).toMatchObject({ name: "alias/patchline-central" });
  });

  it("admits the roles whose own policies use the key, with the actions they ask for", () => {
    expect(bySid(statementsOf(json, "aws_kms_key", "policy")).PatchlineRolesUseTheKeyAsTheirPoliciesAsk).toMatchObject({
      actions: ["kms:Decrypt"],
      principals: [{ type: "AWS", identifiers: ["arn:aws:iam::100000000001:root"] }],
      conditions: [{ test: "ArnEquals", variable: "aws:PrincipalArn", values: ["arn:aws:iam::100000000001:role/patchline-reader"] }],
    });
  });

  it("refuses to synthesize a key no role uses, naming the key", () => {
    expect(() =>
      synthConstruct(
        (stack, provider) =>
          new CentralKey(stack, "Key", { naming: exampleNaming, principals: keyPrincipals(exampleConfig.org, exampleNaming), region: "us-east-1", provider }),
      ),
    ).toThrow("test/Key: no role of the stack uses the central key, so its policy would name nobody");
  });

  it("lets services use the key only for this account", () => {
    const services = bySid(statementsOf(json, "aws_kms_key", "policy")).ServicesEncryptForThisAccount!;
    expect(services.conditions).toEqual([{ test: "StringEquals", variable: "aws:SourceAccount", values: ["100000000001"] }]);
  });

  it("encrypts the topic with the key and subscribes the configured addresses", () => {
    expect(bodiesOf(json, "aws_sns_topic")[0]).toMatchObject({
      name: "patchline-notifications",
      kms_master_key_id: expect.stringMatching(/^\$\{aws_kms_key\..+\.arn\}$/),
    });
    expect(bodiesOf(json, "aws_sns_topic_subscription")).toEqual([expect.objectContaining({ protocol: "email", endpoint: "oncall@example.com" })]);
  });
});

describe("CentralEventBus", () => {
  const json = synthConstruct((stack, provider) => new CentralEventBus(stack, "Bus", { naming: exampleNaming, organizationId: "o-exampleorg1", provider }));

  it("accepts events only from principals of the organization", () => {
    expect(bodiesOf(json, "aws_cloudwatch_event_bus")[0]).toMatchObject({ name: "patchline-central" });
    expect(statementsOf(json, "aws_cloudwatch_event_bus_policy", "policy")).toEqual([
      expect.objectContaining({
        actions: ["events:PutEvents"],
        principals: [{ type: "AWS", identifiers: ["*"] }],
        conditions: [{ test: "StringEquals", variable: "aws:PrincipalOrgID", values: ["o-exampleorg1"] }],
      }),
    ]);
  });
});
