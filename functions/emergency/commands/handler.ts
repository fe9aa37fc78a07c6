import * as z from "zod/mini";
import { stsClient } from "../../shared/clients/sts.js";
import { requiredEnv } from "../../shared/env.js";
import { parseInput } from "../../shared/input.js";
import { logger } from "../../shared/logger.js";
import { runCommandOutputFromEnv } from "../../shared/run-command-output.js";
import { checkCommands, checkInput } from "./check.js";
import { memberSsm } from "./member.js";
import { sendCommands, sendInput, type CommandsDeps } from "./send.js";

const deps: CommandsDeps = {
  ssm: memberSsm({ roleName: requiredEnv("MEMBER_ROLE_NAME"), sts: stsClient, sessionName: "patchline-emergency-patch" }),
  output: runCommandOutputFromEnv(),
  now: () => new Date(),
  log: logger,
};

const commandsInput = z.discriminatedUnion("action", [sendInput, checkInput]);

/** An emergency run's Systems Manager calls in one member account and region: send the windows' commands, follow them. */
export const handler = async (event: unknown) => {
  const input = parseInput(commandsInput, event);
  switch (input.action) {
    case "send":
      return sendCommands(input, deps);
    case "check":
      return checkCommands(input, deps);
  }
};
