import { describe, expect, it } from "vitest";
import { synthConstruct } from "../../test/support/construct-synth.js";
import { bodiesOf, type Block } from "../../test/support/terraform-json.js";
import { SecureBucket, type SecureBucketProps } from "./secure-bucket.js";

const base = { bucketName: "patchline-test", expireAfterDays: 400, noncurrentVersionExpireAfterDays: 30, policyStatements: () => [] };
const lifecycle = (props: Omit<SecureBucketProps, "provider">) => {
  const json = synthConstruct((stack, provider) => new SecureBucket(stack, "Bucket", { ...props, provider }));
  return (bodiesOf(json, "aws_s3_bucket_lifecycle_configuration")[0]!.rule as Block[]).map((r) => [
    r.id,
    (r.filter as Block[])[0]!.prefix,
    (r.expiration as Block[])[0]!.days,
    (r.noncurrent_version_expiration as Block[])[0]!.noncurrent_days,
  ]);
};

describe("a secure bucket's lifecycle", () => {
  it("expires further prefixes after their own days, beside the prefixes that expire with the rest", () => {
    expect(lifecycle({ ...base, expirePrefixes: ["resource-data-sync/"], expireOwnPrefixes: [{ prefix: "history/", days: 1095 }] })).toEqual([
      ["expire-resource-data-sync", "resource-data-sync/", 400, 30],
      ["expire-history", "history/", 1095, 30],
    ]);
    expect(lifecycle(base)).toEqual([["expire-objects", "", 400, 30]]);
  });

  it("refuses a prefix of its own that overlaps one expiring otherwise: S3 would apply the shorter", () => {
    expect(() => lifecycle({ ...base, expireOwnPrefixes: [{ prefix: "history/", days: 1095 }] })).toThrow(
      'SecureBucket patchline-test: "history/" overlaps "", which expires after other days; S3 would apply the shorter',
    );
    expect(() =>
      lifecycle({
        ...base,
        expirePrefixes: ["runs/"],
        expireOwnPrefixes: [
          { prefix: "history/", days: 9 },
          { prefix: "history/targets/", days: 5 },
        ],
      }),
    ).toThrow('"history/" overlaps "history/targets/"');
  });

  it("expires no prefix of its own before its object lock ends", () => {
    const locked = { ...base, noncurrentVersionExpireAfterDays: 400, objectLock: { mode: "COMPLIANCE" as const, days: 400 }, expirePrefixes: ["a/"] };
    expect(() => lifecycle({ ...locked, expireOwnPrefixes: [{ prefix: "b/", days: 100 }] })).toThrow("before their 400-day object lock ends");
    expect(lifecycle({ ...locked, expireOwnPrefixes: [{ prefix: "b/", days: 500 }] })).toHaveLength(2);
  });
});
