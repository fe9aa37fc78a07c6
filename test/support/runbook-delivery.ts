import type { InstallRunbookProps } from "../../stacks/member/runbooks/install-runbook.js";

/** Where the example's prod-monthly window sends its install command in web-prod, us-east-1: what an install runbook built in a test sends the same way. */
export const prodWindowDelivery: InstallRunbookProps["delivery"] = {
  comment: "patchline prod-monthly install",
  deliveryTimeoutSeconds: 3600,
  outputS3BucketName: "patchline-logs-100000000001-us-east-1",
  outputS3KeyPrefix: "run-command/prod/400000000002/us-east-1/prod-monthly/install",
  logGroupName: "/patchline/run-command",
  notification: {
    topicArn: "arn:aws:sns:us-east-1:400000000002:patchline-patch-commands",
    events: ["Failed"],
    serviceRoleArn: "arn:aws:iam::400000000002:role/patchline-maintenance-window",
  },
};
