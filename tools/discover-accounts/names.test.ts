import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { accountName } from "../../environments/schema/primitives.js";
import { deriveAccountName, uniqueNames } from "./names.js";

describe("account names derived from AWS account names", () => {
  it.each([
    ["Payments Prod", "payments-prod"],
    ["payments_prod--EU", "payments-prod-eu"],
    ["Équipe Données (PROD)", "equipe-donnees-prod"],
    ["123 Corp", "account-123-corp"],
    ["  Web / Prod  ", "web-prod"],
    ["Analytics Platform Production Workloads Europe", "analytics-platform-production-workloads"],
    ["X", "x-0004"],
    ["!!!", "account-400000000004"],
  ])("%j → %j", (awsName, expected) => {
    expect(deriveAccountName(awsName, "400000000004")).toBe(expected);
  });

  it("always satisfies the schema's account-name rule", () => {
    fc.assert(
      fc.property(fc.string({ maxLength: 60, unit: "grapheme" }), fc.stringMatching(/^\d{12}$/), (awsName, id) => {
        expect(accountName.safeParse(deriveAccountName(awsName, id)).success).toBe(true);
      }),
    );
  });

  it("keeps colliding names apart with the last 4 digits of the id, then the whole id, in id order", () => {
    const names = uniqueNames(
      [
        { id: "400000000022", name: "web-prod" },
        { id: "400000000011", name: "web-prod" },
        { id: "500000000011", name: "web-prod" },
        { id: "400000000033", name: "data-prod" },
        { id: "400000000044", name: "analytics" },
      ],
      new Set(["data-prod"]),
    );
    expect(Object.fromEntries(names)).toEqual({
      "400000000011": "web-prod-0011",
      "400000000022": "web-prod-0022",
      "500000000011": "web-prod-500000000011",
      "400000000033": "data-prod-0033",
      "400000000044": "analytics",
    });
  });
});
