// A stand-in for the Step Functions endpoint during offline plans: the aws provider validates
// every state machine definition at plan time (ValidateStateMachineDefinition), which needs AWS.
// This answers that one call with asl-validator's verdict; any other call is refused. It runs as
// its own process because terraform runs synchronously in the test process.
import { createServer } from "node:http";
import { createRequire } from "node:module";

const require = createRequire(import.meta.url);
const aslValidatorModule = require("asl-validator");
const aslValidator = aslValidatorModule.default ?? aslValidatorModule;

const server = createServer((req, res) => {
  const chunks = [];
  req.on("data", (c) => chunks.push(c));
  req.on("end", () => {
    const target = req.headers["x-amz-target"];
    const reply = (status, body) => {
      res.writeHead(status, { "Content-Type": "application/x-amz-json-1.0" });
      res.end(JSON.stringify(body));
    };
    if (target !== "AWSStepFunctions.ValidateStateMachineDefinition") {
      reply(400, { __type: "UnknownOperationException", message: `offline stand-in answers ValidateStateMachineDefinition only, not ${target}` });
      return;
    }
    const { definition } = JSON.parse(Buffer.concat(chunks).toString("utf8"));
    const { isValid, errorsText } = aslValidator(JSON.parse(definition));
    reply(200, isValid ? { result: "OK", diagnostics: [] } : { result: "FAIL", diagnostics: [{ severity: "ERROR", code: "SCHEMA_VALIDATION_FAILED", message: errorsText("; ") }] });
  });
});
server.listen(0, "127.0.0.1", () => console.log(`listening ${server.address().port}`));
