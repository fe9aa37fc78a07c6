import { EC2Client } from "@aws-sdk/client-ec2";
import { catalogLoader } from "../../shared/catalog-loader.js";
import { s3Client } from "../../shared/clients/s3.js";
import { stsClient } from "../../shared/clients/sts.js";
import { requiredEnv } from "../../shared/env.js";
import { parseInput } from "../../shared/input.js";
import { logger } from "../../shared/logger.js";
import { memberClients } from "../../shared/member-session.js";
import { resolveAccount } from "./account.js";
import { checkBackup, createBackup, instanceInput, lookUp, type InstanceDeps } from "./instance.js";

const catalog = catalogLoader(s3Client, requiredEnv("REPORTS_BUCKET"), requiredEnv("CATALOG_KEY"));

const deps: InstanceDeps = {
  ec2: memberClients(
    { roleName: requiredEnv("MEMBER_ROLE_NAME"), sts: stsClient, sessionName: "patchline-approval-instance" },
    (config) => new EC2Client(config),
  ),
  ownerTagKey: requiredEnv("OWNER_TAG_KEY"),
  now: () => new Date(),
  log: logger,
};

/** Resolve the event's account from the fleet catalog; EC2 calls in the instance's account and region: look it up, back it up, follow the backup. */
export const handler = async (event: unknown) => {
  const input = parseInput(instanceInput, event);
  switch (input.action) {
    case "resolveAccount":
      return resolveAccount(input, await catalog());
    case "lookUp":
      return lookUp(input, deps);
    case "createBackup":
      return createBackup(input, deps);
    case "checkBackup":
      return checkBackup(input, deps);
  }
};
