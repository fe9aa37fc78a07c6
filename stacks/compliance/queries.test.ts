import { describe, expect, it } from "vitest";
import { objectPattern, synced } from "./queries.js";

const location = { bucket: "patchline-patch-data-100000000001-us-east-1", prefix: "resource-data-sync" };
// an object as resource data sync writes it: bucket, prefix, type, then the account, region and resource type
const key =
  "s3://patchline-patch-data-100000000001-us-east-1/resource-data-sync/AWS:ComplianceItem/accountid=400000000002/region=eu-west-1/resourcetype=ManagedInstanceInventory/i-0abc123def4567890.json";
const origin = (path: string) => {
  const match = new RegExp(objectPattern(location, "complianceitem")).exec(path);
  return match ? { account: match[1], region: match[2] } : undefined;
};

describe("the account and region of a sync object", () => {
  it("come from its key, where the sync puts them", () => {
    expect(origin(key)).toEqual({ account: "400000000002", region: "eu-west-1" });
  });

  it("are not taken from a key with an account planted deeper in it (a sync of another account given a longer prefix)", () => {
    const planted = key.replace(
      "AWS:ComplianceItem/accountid=400000000002/",
      "AWS:ComplianceItem/accountid=400000000002/region=eu-west-1/resourcetype=ManagedInstanceInventory/x/AWS:ComplianceItem/accountid=999999999999/",
    );
    expect(origin(planted)).toBeUndefined();
  });

  it.each([
    ["another bucket", key.replace("patchline-patch-data-100000000001", "patchline-patch-data-100000000009")],
    ["a dot where the bucket name has a hyphen", key.replace("data-100000000001-us", "data-100000000001.us")],
    ["another type", key.replace("AWS:ComplianceItem", "AWS:Tag")],
    ["another resource type", key.replace("ManagedInstanceInventory", "ManagedInstance")],
    ["a malformed account", key.replace("accountid=400000000002", "accountid=40000000000x")],
  ])("match nothing in %s", (_what, path) => {
    expect(origin(path)).toBeUndefined();
  });

  it("are what every query reads, and rows of objects elsewhere are left out", () => {
    const pattern = objectPattern(location, "tag");
    expect(synced(location, "tag")).toBe(
      `(SELECT t.*, regexp_extract("$path", '${pattern}', 1) AS accountid, regexp_extract("$path", '${pattern}', 2) AS region FROM tag t WHERE regexp_like("$path", '${pattern}'))`,
    );
  });
});
