import { ConfigError, parseOrgConfig, type OrgConfig, type OrgConfigInput } from "../../environments/schema/index.js";
import type { CommandIo } from "./cli.js";

/**
 * The validated organization a command works on, or undefined once every configuration problem is
 * written to `io.error` (the command then exits 2, as for any bad input). Anything but a
 * configuration problem is a bug and is thrown.
 */
export function configOrReport(input: OrgConfigInput, io: CommandIo): OrgConfig | undefined {
  try {
    return parseOrgConfig(input);
  } catch (error) {
    if (!(error instanceof ConfigError)) throw error;
    io.error(error.message);
    return undefined;
  }
}
