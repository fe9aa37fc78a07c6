import { z } from "zod";
import { show } from "./messages.js";
import { uniqueList } from "./primitives.js";

// a role ARN as aws:PrincipalArn carries it for the role's sessions: path included (SSO roles live below /aws-reserved/)
const roleArnPattern = /^arn:aws:iam::(\d{12}):role\/(?:[\w+=,.@-]+\/)*[\w+=,.@-]{1,64}$/;

export const roleArn = z.string().regex(roleArnPattern, {
  error: (i) => `${show(i.input)} is not an IAM role ARN (arn:aws:iam::<12-digit account id>:role/<optional path/><name>)`,
});

/** A list of roles of the central account that the central keys' policies name (checked against org.central by checkKeyRoles). */
export const centralRoleArns = (label: string) => uniqueList(roleArn, label).default([]);

/** What checkKeyRoles reads of the raw input (structural: org.ts imports this module). */
interface KeyRolesInput {
  readonly org?: { readonly central?: { readonly accountId?: unknown } } & { readonly [field in (typeof keyRoleFields)[number]]?: unknown };
}

/** The org fields that name central-account roles in the key policies. */
export const keyRoleFields = ["keyAdministratorRoleArns", "keyUserRoleArns"] as const;

/**
 * The key policies name principals of the central account only: a role of another account would
 * need a grant in that account's IAM too, and a key policy must not open the key to other accounts.
 */
export function checkKeyRoles(config: KeyRolesInput, report: (path: ReadonlyArray<string | number>, message: string) => void): void {
  const central = config.org?.central?.accountId;
  if (typeof central !== "string") return;
  for (const field of keyRoleFields) {
    const arns: unknown = config.org?.[field];
    if (!Array.isArray(arns)) continue;
    arns.forEach((arn: unknown, i) => {
      const account = typeof arn === "string" ? roleArnPattern.exec(arn)?.[1] : undefined;
      if (account !== undefined && account !== central)
        report(["org", field, i], `${show(arn)} is a role of account ${account}; the keys' policies name roles of the central account (${central}) only`);
    });
  }
}
