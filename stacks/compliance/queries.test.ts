import { describe, expect, it } from "vitest";
import { INSTANCE_OBJECTS, keyPatterns, synced } from "./queries.js";

// an object as resource data sync writes it (bucket, prefix, type, then the Hive-style account, region and resource type)
const key =
  "s3://patchline-patch-data-100000000001-us-east-1/resource-data-sync/AWS:ComplianceItem/accountid=400000000002/region=eu-west-1/resourcetype=ManagedInstanceInventory/i-0abc123def4567890.json";
const extract = (pattern: string, path: string) => new RegExp(pattern).exec(path)?.[1];

describe("the account and region of a sync object", () => {
  it("come from its key", () => {
    expect(extract(keyPatterns.account, key)).toBe("400000000002");
    expect(extract(keyPatterns.region, key)).toBe("eu-west-1");
    expect(key).toContain(INSTANCE_OBJECTS);
  });

  it("are not taken from a name that only looks like them", () => {
    const elsewhere = key.replace("accountid=400000000002", "accountid=40000000000x").replace("region=eu-west-1", "region=EU_WEST");
    expect(extract(keyPatterns.account, elsewhere)).toBeUndefined();
    expect(extract(keyPatterns.region, elsewhere)).toBeUndefined();
  });

  it("are what every query reads, for managed instances only", () => {
    expect(synced("tag")).toBe(
      `(SELECT t.*, regexp_extract("$path", '/accountid=([0-9]{12})/', 1) AS accountid, regexp_extract("$path", '/region=([a-z0-9-]+)/', 1) AS region FROM tag t WHERE "$path" LIKE '%/resourcetype=ManagedInstanceInventory/%')`,
    );
  });
});
