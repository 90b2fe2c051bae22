import {
  DescribeExecutionCommand,
  ExecutionAlreadyExists,
  InvalidName,
  ListExecutionsCommand,
  SFNClient,
  StartExecutionCommand,
  StateMachineDoesNotExist,
} from '@aws-sdk/client-sfn';
import { beforeAll, describe, expect, it } from 'vitest';
import { localStateMachineArn } from '../../infra/local/aws/constants.ts';
import { LOCAL_CREDENTIALS } from '../../infra/local/dynamodb/dynamodb-local.ts';
import { freshProjectId, seedProject } from '../support/step-fixtures.ts';
import { useTwin } from '../support/twin.ts';

// Real time scale: a failed first attempt waits a full second before its retry, which keeps the
// execution RUNNING long enough to start it again.
const t = useTwin({ timeScale: 1 });
const stateMachineArn = localStateMachineArn('provision-project');
let sfn: SFNClient;

beforeAll(() => {
  sfn = new SFNClient({
    endpoint: t.twin.awsEndpoint,
    region: 'us-east-1',
    credentials: LOCAL_CREDENTIALS,
  });
});

const inputFor = (projectId: string) =>
  JSON.stringify({
    projectId,
    name: 'Sfn',
    ownerEmail: 'sfn@example.com',
    plan: 'free',
    correlationId: 'sfn-api-test',
  });

const start = (name: string, input: string, arn = stateMachineArn) =>
  sfn.send(new StartExecutionCommand({ stateMachineArn: arn, name, input }));

describe("the twin's Step Functions API, through @aws-sdk/client-sfn", () => {
  it('returns the running execution for the same name and input', async () => {
    t.twin.faults.set('step.CreateTenantRecord:fail:1');
    const projectId = freshProjectId();
    const first = await start(`same-${projectId}`, inputFor(projectId));
    const second = await start(`same-${projectId}`, inputFor(projectId));

    expect(second.executionArn).toBe(first.executionArn);
    expect(second.startDate).toEqual(first.startDate);
    const described = await sfn.send(
      new DescribeExecutionCommand({ executionArn: first.executionArn }),
    );
    expect(described.status).toBe('RUNNING');
  });

  it('refuses the same name with a different input while running', async () => {
    t.twin.faults.set('step.CreateTenantRecord:fail:1');
    const projectId = freshProjectId();
    await start(`diff-${projectId}`, inputFor(projectId));
    await expect(start(`diff-${projectId}`, inputFor(freshProjectId()))).rejects.toBeInstanceOf(
      ExecutionAlreadyExists,
    );
  });

  it('refuses the same name and input once the execution has closed', async () => {
    const { projectId } = await seedProject(t);
    const { executionArn } = await start(`closed-${projectId}`, inputFor(projectId));
    await t.idle();
    const described = await sfn.send(new DescribeExecutionCommand({ executionArn }));
    expect(described.status).toBe('SUCCEEDED');
    expect(described.stopDate).toBeInstanceOf(Date);

    await expect(start(`closed-${projectId}`, inputFor(projectId))).rejects.toBeInstanceOf(
      ExecutionAlreadyExists,
    );
  });

  it.each([
    ['81 characters', 'n'.repeat(81)],
    ['a space', 'has space'],
    ['a colon', 'has:colon'],
    ['a slash', 'has/slash'],
    ['a control character', 'bell\u0007'],
  ])('refuses a name with %s as InvalidName', async (_, name) => {
    await expect(start(name, '{}')).rejects.toBeInstanceOf(InvalidName);
  });

  it('accepts an 80-character name', async () => {
    const name = `x${freshProjectId()}`.padEnd(80, 'y');
    const started = await start(name, inputFor((await seedProject(t)).projectId));
    expect(started.executionArn?.endsWith(`:${name}`)).toBe(true);
    await t.idle();
  });

  it('answers StateMachineDoesNotExist for an unknown state machine', async () => {
    await expect(start('x', '{}', localStateMachineArn('nope'))).rejects.toBeInstanceOf(
      StateMachineDoesNotExist,
    );
  });

  it('lets SfnWorkflows treat ExecutionAlreadyExists as an earlier start (logged, not an error)', async () => {
    const { SfnWorkflows } = await import('../../lambdas/lib/adapters/sfn-workflows.ts');
    const workflows = new SfnWorkflows(['provision-project'], sfn);
    const { projectId } = await seedProject(t);
    const input = JSON.parse(inputFor(projectId));

    expect(await workflows.start('provision-project', `adapter-${projectId}`, input)).toEqual({
      started: true,
    });
    await t.idle();
    expect(await workflows.start('provision-project', `adapter-${projectId}`, input)).toEqual({
      started: false,
    });
  });

  it('lists executions newest first with their status', async () => {
    await t.idle();
    const listed = await sfn.send(new ListExecutionsCommand({ stateMachineArn }));
    const all = t.twin.executions.list(stateMachineArn);
    expect(listed.executions?.map((e) => e.name)).toEqual(all.map((e) => e.name));
    expect(listed.executions?.every((e) => e.status !== 'RUNNING')).toBe(true);
  });
});
