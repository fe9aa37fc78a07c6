import { describe, expect, it } from "vitest";
import { parseOrgConfig, type OrgConfigInput } from "../../environments/schema/index.js";
import { exampleWith } from "../../test/support/config.js";
import { Naming } from "../naming.js";
import { checkCallbackEnvironment } from "./callback-environment.js";
import { checkLimits } from "./index.js";
import { problemLine } from "./growth.js";

const jwt = { issuer: "https://login.example.com/oauth2/default", audience: ["patchline"], approversOnly: true };
/** The example organization with `count` approver addresses of 32 characters in prod. */
const withProdApprovers = (count: number, approversOnly = true): OrgConfigInput =>
  exampleWith((d) => {
    d.org.approval.jwt = { ...jwt, approversOnly };
    d.environments.prod.approval.approverEmails = Array.from({ length: count }, (_, i) => `approver-${String(i).padStart(3, "0")}@prod.example.com`);
  });
const linesOf = (input: OrgConfigInput) => {
  const config = parseOrgConfig(input);
  return checkCallbackEnvironment(config, new Naming(config.org)).map(problemLine);
};

describe("the approval callback's environment with approversOnly (Lambda: 4 KB for all variables)", () => {
  it("114 approver addresses in prod fit beside the other environments' and the callback's other variables (the owner domains among them); 115 do not", () => {
    expect(linesOf(withProdApprovers(114))).toEqual([]);
    expect(linesOf(withProdApprovers(115))).toEqual([
      "org.approval.jwt.approversOnly: the approval callback would carry every approving environment's approverEmails in its environment, 4,118 bytes with its other variables, above Lambda's 4,096-byte (4 KB) limit per function: list fewer addresses (a group address per environment) or turn approversOnly off",
    ]);
  });

  it("is part of the checks synth runs", () => {
    expect(checkLimits(parseOrgConfig(withProdApprovers(116)))).toEqual([expect.stringMatching(/^org\.approval\.jwt\.approversOnly: /)]);
  });

  it("without approversOnly the addresses are not in the callback's environment, and nothing is measured", () => {
    expect(linesOf(withProdApprovers(300, false))).toEqual([]);
  });
});
