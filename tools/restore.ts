import { isMain } from "./lib/cli.js";
import { assumeRestoreRole } from "./restore/aws.js";
import { restoreCommand } from "./restore/command.js";

export { restoreCommand } from "./restore/command.js";

if (isMain(import.meta.url)) {
  const { organization } = await import("../environments/index.js");
  process.exitCode = await restoreCommand(process.argv.slice(2), {
    io: { print: console.log, error: console.error, now: () => new Date() },
    input: organization,
    assume: assumeRestoreRole,
    sleep: (ms) => new Promise((resolve) => setTimeout(resolve, ms)),
  });
}
