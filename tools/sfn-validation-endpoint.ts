import { spawn, type ChildProcess } from "node:child_process";
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { fileURLToPath } from "node:url";
import aslValidator from "asl-validator";

/**
 * hashicorp/aws (5.67 and later) asks Step Functions to validate a state machine's definition
 * while it plans (ValidateStateMachineDefinition). Offline there is no Step Functions: this
 * stand-in answers that one call locally with asl-validator, the validator synth already runs.
 * Point the provider at it with AWS_ENDPOINT_URL_SFN.
 */
export function validationServer(): Server {
  return createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on("data", (chunk: Buffer) => chunks.push(chunk));
    req.on("end", () => {
      const target = req.headers["x-amz-target"];
      if (target !== "AWSStepFunctions.ValidateStateMachineDefinition") {
        res
          .writeHead(400, { "content-type": "application/x-amz-json-1.0" })
          .end(JSON.stringify({ __type: "UnknownOperationException", message: `offline: ${String(target)} is not served` }));
        return;
      }
      let diagnostics: { severity: string; code: string; message: string }[] = [];
      try {
        const { definition } = JSON.parse(Buffer.concat(chunks).toString("utf8")) as { definition: string };
        const { isValid, errorsText } = aslValidator(JSON.parse(definition));
        if (!isValid) diagnostics = [{ severity: "ERROR", code: "SCHEMA_VALIDATION_FAILED", message: errorsText("; ") }];
      } catch (error) {
        diagnostics = [{ severity: "ERROR", code: "INVALID_JSON_DESCRIPTION", message: (error as Error).message }];
      }
      res
        .writeHead(200, { "content-type": "application/x-amz-json-1.0" })
        .end(JSON.stringify({ result: diagnostics.length ? "FAIL" : "OK", diagnostics, truncated: false }));
    });
  });
}

/**
 * Starts the stand-in in its own process (terraform runs synchronously in the tests, which would
 * block a server in this one) and returns the environment that points the provider at it.
 */
export async function startValidationEndpoint(): Promise<{ env: Record<string, string>; stop: () => void }> {
  const child: ChildProcess = spawn(process.execPath, ["--import", "tsx", fileURLToPath(import.meta.url)], { stdio: ["ignore", "pipe", "inherit"] });
  const url = await new Promise<string>((resolve, reject) => {
    child.once("error", reject);
    child.once("exit", (code) => reject(new Error(`the Step Functions validation stand-in exited with ${code}`)));
    child.stdout!.once("data", (data: Buffer) => resolve(data.toString("utf8").trim()));
  });
  return { env: { AWS_ENDPOINT_URL_SFN: url }, stop: () => child.kill() };
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  const server = validationServer();
  server.listen(0, "127.0.0.1", () => console.log(`http://127.0.0.1:${(server.address() as AddressInfo).port}`));
}
