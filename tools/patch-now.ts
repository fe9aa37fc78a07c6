import { isMain } from "./lib/cli.js";
import { patchNowAws } from "./patch-now/aws.js";
import { patchNowCommand } from "./patch-now/command.js";

export { patchNowCommand } from "./patch-now/command.js";

if (isMain(import.meta.url)) {
  const { organization } = await import("../environments/index.js");
  process.exitCode = await patchNowCommand(process.argv.slice(2), {
    io: { print: console.log, error: console.error, now: () => new Date() },
    input: organization,
    aws: patchNowAws,
  });
}
