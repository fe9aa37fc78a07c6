import type { PolicyDocument, PolicyStatement } from "./document.js";

export interface CiRoleInput {
  readonly planRoleName: string;
  readonly stateBackend: { readonly bucket: string; readonly keyPrefix: string };
  /**
   * The evidence bucket (stacks/naming.ts), when an environment is promoted from another: the job
   * checks the committed promotion records against their evidence. @default - no evidence to read
   */
  readonly evidenceBucket?: string;
}

/**
 * The pull-request job's own role (PATCHLINE_PLAN_CI_ROLE_ARN). The S3 backend has no role of its
 * own (stacks/providers.ts), so terraform reads state with the job's credentials: the state objects
 * only, never their lock files (plan-stacks plans with -lock=false, so a review never blocks a
 * deploy), and the workspace listing the backend makes (prefix `env:/`). The providers then
 * assume the plan role of each account. `npm run promote -- --check` reads evidence documents
 * with the job's credentials too: exactly the keys a record names (`evidence/<env>/runs/…`, or the
 * summary), so no listing. Without s3:ListBucket a missing document reads as AccessDenied, not
 * NoSuchKey; the check fails either way, and the run ids stay unlisted.
 */
export function ciRolePolicy(input: CiRoleInput): PolicyDocument {
  const { bucket, keyPrefix } = input.stateBackend;
  const evidence: PolicyStatement[] =
    input.evidenceBucket === undefined
      ? []
      : [{ Sid: "ReadEvidence", Effect: "Allow", Action: ["s3:GetObject"], Resource: `arn:aws:s3:::${input.evidenceBucket}/evidence/*` }];
  return {
    Version: "2012-10-17",
    Statement: [
      { Sid: "AssumePlanRoles", Effect: "Allow", Action: ["sts:AssumeRole"], Resource: `arn:aws:iam::*:role/${input.planRoleName}` },
      {
        Sid: "ListStateKeys",
        Effect: "Allow",
        Action: ["s3:ListBucket"],
        Resource: `arn:aws:s3:::${bucket}`,
        Condition: { StringLike: { "s3:prefix": [`${keyPrefix}/*`, "env:/*"] } },
      },
      { Sid: "ReadState", Effect: "Allow", Action: ["s3:GetObject"], Resource: `arn:aws:s3:::${bucket}/${keyPrefix}/*.tfstate` },
      ...evidence,
    ],
  };
}
