import { describe, expect, it } from "vitest";
import { exampleWith, problemsAfter } from "../../test/support/config.js";
import { parseOrgConfig } from "./index.js";

const sso = "arn:aws:iam::100000000001:role/aws-reserved/sso.amazonaws.com/AWSReservedSSO_SecurityAdmin_0123456789abcdef";

describe.each(["keyAdministratorRoleArns", "keyUserRoleArns"] as const)("org.%s", (field) => {
  it("defaults to none", () => {
    expect(parseOrgConfig(exampleWith((d) => delete d.org[field])).org[field]).toEqual([]);
  });

  it("accepts roles of the central account, with a path", () => {
    expect(problemsAfter((d) => (d.org[field] = [sso, "arn:aws:iam::100000000001:role/security-admin"]))).toEqual([]);
  });

  it("rejects something that is not a role ARN", () => {
    expect(problemsAfter((d) => (d.org[field] = ["arn:aws:iam::100000000001:user/alice"]))).toEqual([
      `org.${field}[0]: "arn:aws:iam::100000000001:user/alice" is not an IAM role ARN (arn:aws:iam::<12-digit account id>:role/<optional path/><name>)`,
    ]);
  });

  it("rejects a role of another account", () => {
    expect(problemsAfter((d) => (d.org[field] = ["arn:aws:iam::400000000002:role/security-admin"]))).toEqual([
      `org.${field}[0]: "arn:aws:iam::400000000002:role/security-admin" is a role of account 400000000002; the keys' policies name roles of the central account (100000000001) only`,
    ]);
  });

  it("rejects a role listed twice", () => {
    expect(problemsAfter((d) => (d.org[field] = [sso, sso]))).toEqual([`org.${field}[1]: "${sso}" is listed twice in ${field}`]);
  });
});
