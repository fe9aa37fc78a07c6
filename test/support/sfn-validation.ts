import { spawn } from "node:child_process";
import { fileURLToPath } from "node:url";

/**
 * Starts the offline stand-in for Step Functions' ValidateStateMachineDefinition (the aws provider
 * calls it during `terraform plan` for every state machine) and points terraform at it through
 * AWS_ENDPOINT_URL_SFN. Returns a function that stops it and restores the environment.
 */
export async function startSfnValidationStandIn(): Promise<() => void> {
  const script = fileURLToPath(new URL("./sfn-validation-server.mjs", import.meta.url));
  const child = spawn(process.execPath, [script], { stdio: ["ignore", "pipe", "inherit"] });
  const port = await new Promise<string>((resolve, reject) => {
    child.once("error", reject);
    child.once("exit", (code) => reject(new Error(`the Step Functions stand-in exited with ${code}`)));
    child.stdout.once("data", (chunk: Buffer) => resolve(/listening (\d+)/.exec(chunk.toString())?.[1] ?? ""));
  });
  const previous = process.env.AWS_ENDPOINT_URL_SFN;
  process.env.AWS_ENDPOINT_URL_SFN = `http://127.0.0.1:${port}`;
  return () => {
    child.kill();
    if (previous === undefined) delete process.env.AWS_ENDPOINT_URL_SFN;
    else process.env.AWS_ENDPOINT_URL_SFN = previous;
  };
}
