import { describe, expect, it } from "vitest";
import { objectPattern, slaQueries, synced } from "./queries.js";
import { dataSetSpecs } from "./quicksight/data-sets.js";
import { LATEST_RUN_WINDOW_DAYS } from "./latest-run.js";

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

describe("the latest run of each environment", () => {
  /** From `from` to the end of its line. */
  const line = (sql: string, from: string) => sql.slice(sql.indexOf(from)).split("\n")[0]!;
  const dashboard = dataSetSpecs("patchline_compliance").missing_patches.sql;

  it("is the same run, over the same days of partitions, in the named queries and the QuickSight data sets", () => {
    // the data sets qualify the table and alias its columns: without them the two CTEs are one text
    const dataSetCte = line(dashboard, "latest AS (")
      .replaceAll('"patchline_compliance"."history_environments" h', "history_environments")
      .replaceAll("h.", "");
    const since = (sql: string) => line(sql, "run_date >= ").split(" AND ")[0];
    for (const query of slaQueries()) {
      expect(line(query.sql, "latest AS ("), query.name).toBe(dataSetCte);
      expect(since(query.sql), query.name).toBe(since(dashboard));
    }
    expect(dataSetCte).toContain("max_by(run_id, from_iso8601_timestamp(started_at))");
    expect(since(dashboard)).toBe(`run_date >= date_format(date_add('day', -${LATEST_RUN_WINDOW_DAYS}, current_date), '%Y-%m-%d')`);
  });
});
