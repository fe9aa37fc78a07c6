import { isMain } from "./lib/cli.js";
import { promoteCommand } from "./promote/command.js";
import { s3ObjectReader } from "./promote/source.js";

export { promoteCommand } from "./promote/command.js";

if (isMain(import.meta.url)) {
  const { organization } = await import("../environments/index.js");
  process.exitCode = await promoteCommand(process.argv.slice(2), {
    io: { print: console.log, error: console.error, now: () => new Date() },
    input: organization,
    read: s3ObjectReader,
    cwd: process.cwd(),
  });
}
