import { PutObjectCommand, S3Client } from "@aws-sdk/client-s3";
import { SSMClient } from "@aws-sdk/client-ssm";
import { EC2Client } from "@aws-sdk/client-ec2";
import { AssumeRoleCommand, STSClient } from "@aws-sdk/client-sts";
import { mockClient } from "aws-sdk-client-mock";
import { beforeEach } from "vitest";
import { complianceReadClients } from "../../functions/compliance/shared/member-access.js";
import { collectTarget, type CollectorInput } from "../../functions/compliance/collector/run.js";

/**
 * The collector's tests' setup: SSM, EC2, STS and S3 mocked (the test serves SSM and EC2 from a
 * fake account), reset before each test to a role that can be assumed (an hour's session) and a
 * bucket that stores every object. Call once at the top of a test file: it registers the
 * `beforeEach`. `collect` runs one target as the handler does, at `now`, writing to `patchline-reports`;
 * `puts` lists the objects the run wrote.
 */
export function collectorRun(now: Date) {
  const ssm = mockClient(SSMClient);
  const ec2 = mockClient(EC2Client);
  const sts = mockClient(STSClient);
  const s3 = mockClient(S3Client);
  beforeEach(() => {
    for (const mock of [ssm, ec2, sts, s3]) mock.reset();
    sts
      .on(AssumeRoleCommand)
      .resolves({ Credentials: { AccessKeyId: "ASIA", SecretAccessKey: "secret", SessionToken: "token", Expiration: new Date(now.getTime() + 3_600_000) } });
    s3.on(PutObjectCommand).resolves({});
  });
  const collect = (input: CollectorInput) =>
    collectTarget(
      {
        sts: new STSClient({ region: "us-east-1" }),
        s3: new S3Client({ region: "us-east-1" }),
        clientsFor: complianceReadClients,
        bucket: "patchline-reports",
        now: () => now,
      },
      input,
    );
  const puts = () => s3.commandCalls(PutObjectCommand).map((c) => c.args[0].input);
  return { ssm, ec2, sts, s3, collect, puts };
}
