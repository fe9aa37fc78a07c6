import type { EmergencyPlan } from "../../contracts/emergency-patch.js";
import type { OrgConfig } from "../../environments/schema/index.js";
import type { RunDeps } from "../../functions/emergency/run/start.js";
import { fleetCatalog } from "../../stacks/compliance/fleet-catalog.js";
import { resolvePlan, type PatchNowRequest } from "../../tools/patch-now/plan.js";
import { recordingLog } from "./approval-fakes.js";
import { exampleConfig, exampleNaming } from "./construct-synth.js";

/** The example organization's fleet catalog, as Terraform writes it. */
export const exampleFleet = fleetCatalog(exampleConfig, exampleNaming);

export const RUN_ID = "prod-20270304T080000Z-1a2b";
export const STARTED_AT = "2027-03-04T08:00:00.000Z";
export const EXECUTION_ARN = `arn:aws:states:us-east-1:100000000001:execution:patchline-emergency-patch:${RUN_ID}`;
export const CALLER = "arn:aws:sts::100000000001:assumed-role/platform-oncall/alice";

/** What `npm run patch-now` would start for prod of the example: every installing patch group, waves of 34 %, 67 %, 100 % (one account each). */
export function examplePlan(request: Partial<PatchNowRequest> = {}, config: OrgConfig = exampleConfig): EmergencyPlan {
  return resolvePlan(config, exampleNaming, {
    environment: "prod",
    withoutHooks: false,
    reason: "CVE-2027-0001 in openssl, exploited in the wild",
    waves: [34, 67, 100],
    maxFailureRatePercent: 5,
    requestedBy: CALLER,
    ...request,
  }).plan;
}

/** The run function's dependencies with S3 as a map of key → text. */
export function runDepsOver(objects: Map<string, string>, catalog = exampleFleet): RunDeps {
  return {
    catalog: async () => catalog,
    bucket: exampleNaming.emergencyBucket,
    bucketRegion: "us-east-1",
    put: async (key, body) => void objects.set(key, body),
    read: async (_bucket, key) => {
      const text = objects.get(key);
      if (text === undefined) throw Object.assign(new Error(`no object ${key}`), { name: "NoSuchKey" });
      return text;
    },
    log: recordingLog(),
  };
}
