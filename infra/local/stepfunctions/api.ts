import type { JsonOperation } from '../aws/aws-endpoint.ts';
import type { Execution, ExecutionStatus, LocalExecutions } from './executions.ts';

const seconds = (date: Date | undefined) => (date ? date.getTime() / 1000 : undefined);

const summary = (e: Execution) => ({
  executionArn: e.executionArn,
  stateMachineArn: e.stateMachineArn,
  name: e.name,
  status: e.status,
  startDate: seconds(e.startDate),
  stopDate: seconds(e.stopDate),
});

/**
 * The Step Functions JSON API subset the handlers and tests use: StartExecution,
 * DescribeExecution and ListExecutions (paged with a numeric `nextToken`).
 */
export const sfnOperations = (executions: LocalExecutions): Record<string, JsonOperation> => ({
  'AWSStepFunctions.StartExecution': (request) => {
    const started = executions.start({
      stateMachineArn: request.stateMachineArn as string | undefined,
      name: request.name as string | undefined,
      input: request.input as string | undefined,
    });
    return { executionArn: started.executionArn, startDate: seconds(started.startDate) };
  },
  'AWSStepFunctions.DescribeExecution': (request) => {
    const e = executions.describe(String(request.executionArn));
    return { ...summary(e), input: e.input, output: e.output, error: e.error, cause: e.cause };
  },
  'AWSStepFunctions.ListExecutions': (request) => {
    const all = executions.list(
      String(request.stateMachineArn),
      request.statusFilter as ExecutionStatus | undefined,
    );
    const from = Number(request.nextToken ?? 0);
    const size = Number(request.maxResults ?? 100) || 100;
    const page = all.slice(from, from + size);
    const next = from + size < all.length ? String(from + size) : undefined;
    return { executions: page.map(summary), nextToken: next };
  },
});
