import { paginateListExecutions, SFNClient, StartExecutionCommand } from "@aws-sdk/client-sfn";
import { GetCallerIdentityCommand, STSClient } from "@aws-sdk/client-sts";

/** What `npm run patch-now` asks of AWS, with the caller's credentials: injected, so tests read what a user would see. */
export interface PatchNowAws {
  /** Who starts the run (the caller's ARN): the plan's requestedBy. */
  readonly callerArn: () => Promise<string>;
  /** The state machine's executions, running and closed (Step Functions keeps closed ones for 90 days; emergency runs are few). */
  readonly executions: (stateMachineArn: string) => Promise<{ readonly name: string; readonly status: string }[]>;
  readonly startExecution: (stateMachineArn: string, name: string, input: string) => Promise<{ readonly executionArn: string }>;
}

/** The AWS SDK in the central account's region. */
export function patchNowAws(region: string): PatchNowAws {
  const sfn = new SFNClient({ region });
  const sts = new STSClient({ region });
  return {
    callerArn: async () => {
      // the run's requestedBy: a run started by "unknown caller" would tell the channels nothing
      const { Arn } = await sts.send(new GetCallerIdentityCommand({}));
      if (!Arn) throw new Error("sts GetCallerIdentity returned no Arn: who starts the run is unknown");
      return Arn;
    },
    executions: async (stateMachineArn) => {
      const executions: { name: string; status: string }[] = [];
      // every status: the next run's name counts on from this hour's runs, closed ones included
      for await (const page of paginateListExecutions({ client: sfn, pageSize: 100 }, { stateMachineArn }))
        for (const execution of page.executions ?? []) {
          if (!execution.name || !execution.status)
            throw new Error(`states ListExecutions returned an execution without name or status: ${execution.executionArn}`);
          executions.push({ name: execution.name, status: execution.status });
        }
      return executions;
    },
    startExecution: async (stateMachineArn, name, input) => {
      const started = await sfn.send(new StartExecutionCommand({ stateMachineArn, name, input }));
      // the ARN is what the operator follows: one made up from the name could point at an execution that is not this one
      if (!started.executionArn) throw new Error(`states StartExecution of ${name} returned no executionArn: look for it in the Step Functions console`);
      return { executionArn: started.executionArn };
    },
  };
}
