import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { accountIdsIn, rewriteAccounts } from "./env-file.js";

const prodFile = readFileSync(new URL("../../test/fixtures/organizations/example/prod.ts", import.meta.url), "utf8");

const source = `import type { EnvironmentInput } from "./schema/index.js";

export const prod: EnvironmentInput = {
  accounts: [
    // the card processing account
    { name: "payments-prod", id: "400000000001" },
    { name: "web-prod", id: "400000000002", regions: ["us-east-1"] }, // web is single-region
    { name: "data-prod", id: "400000000003" },
    // more accounts follow with the data platform
  ],
  regions: ["us-east-1", "eu-west-1"],
};
`;

describe("rewriting the accounts of an environment file", () => {
  it("keeps staying entries as written, comments and regions included, drops removed ones, appends new ones", () => {
    const { text, accountsText } = rewriteAccounts(source, "prod.ts", [
      { name: "payments-prod", id: "400000000001", isNew: false },
      { name: "web-prod", id: "400000000002", isNew: false },
      { name: "analytics-prod", id: "400000000005", isNew: true },
    ]);
    expect(text).toBe(`import type { EnvironmentInput } from "./schema/index.js";

export const prod: EnvironmentInput = {
  accounts: [
    // the card processing account
    { name: "payments-prod", id: "400000000001" },
    { name: "web-prod", id: "400000000002", regions: ["us-east-1"] }, // web is single-region
    { name: "analytics-prod", id: "400000000005" },
    // more accounts follow with the data platform
  ],
  regions: ["us-east-1", "eu-west-1"],
};
`);
    expect(accountsText.startsWith("  accounts: [\n    // the card processing account\n")).toBe(true);
  });

  it("leaves the rest of the real prod environment file untouched", () => {
    const { text } = rewriteAccounts(prodFile, "environments/prod.ts", [
      ...accountIdsIn(prodFile, "environments/prod.ts").map((id) => ({ id, name: "unused", isNew: false })),
      { name: "analytics-prod", id: "400000000005", isNew: true },
    ]);
    expect(text.replace('    { name: "analytics-prod", id: "400000000005" },\n', "")).toBe(prodFile);
    expect(accountIdsIn(text, "environments/prod.ts")).toEqual(["400000000001", "400000000002", "400000000003", "400000000005"]);
  });

  it("refuses files it cannot rewrite safely", () => {
    const spread = source.replace('    { name: "data-prod", id: "400000000003" },', "    ...sharedAccounts,");
    expect(() => rewriteAccounts(spread, "prod.ts", [])).toThrow('prod.ts: accounts[2] is not an object literal with a literal "id"; edit the file by hand');
    const computed = source.replace('id: "400000000003"', "id: dataAccountId");
    expect(() => rewriteAccounts(computed, "prod.ts", [])).toThrow('prod.ts: accounts[2] is not an object literal with a literal "id"');
    expect(() => rewriteAccounts("export const prod = { accounts: loadAccounts() };", "prod.ts", [])).toThrow(
      'prod.ts: "accounts" is not an array literal; edit the file by hand',
    );
    expect(() => rewriteAccounts("export const prod = {};", "prod.ts", [])).toThrow(
      'prod.ts: expected one "accounts: [...]" property, found 0; edit the file by hand',
    );
  });
});
