import { SSMClient } from "@aws-sdk/client-ssm";
import { stsClient } from "../../shared/clients/sts.js";
import { requiredEnv } from "../../shared/env.js";
import { parseInput } from "../../shared/input.js";
import { logger } from "../../shared/logger.js";
import { runCommandOutputFromEnv } from "../../shared/run-command-output.js";
import { memberClients } from "../../shared/member-session.js";
import { choosePatchCommand } from "./choose.js";
import { checkCommand, patchInput, readPatchState, sendCommand, type PatchDeps } from "./patch.js";
import { checkCalendar } from "./calendar.js";

const deps: PatchDeps = {
  ssm: memberClients({ roleName: requiredEnv("MEMBER_ROLE_NAME"), sts: stsClient, sessionName: "patchline-approval-patch" }, (config) => new SSMClient(config)),
  output: runCommandOutputFromEnv(),
  now: () => new Date(),
  log: logger,
};

/** Systems Manager calls in the instance's account and region: read its patch state, choose its window's command, check the change calendar, patch it, follow the command. */
export const handler = async (event: unknown) => {
  const input = parseInput(patchInput, event);
  switch (input.action) {
    case "readPatchState":
      return readPatchState(input, deps);
    case "choosePatchCommand":
      return choosePatchCommand(input);
    case "checkCalendar":
      return checkCalendar(input, deps);
    case "sendCommand":
      return sendCommand(input, deps);
    case "checkCommand":
      return checkCommand(input, deps);
  }
};
