import type { Twin } from '../../infra/local/twin.ts';
import { startReceiver } from '../support/receiver.ts';
import type { DynamoCounter } from './dynamo-counter.ts';

/** Figures of one request and everything it set off, until the twin is idle. */
export interface SagaFigures {
  readonly label: string;
  readonly dynamoCalls: number;
  readonly dynamoCommands: Record<string, number>;
  readonly providerCalls: number;
  readonly transitions: number;
  readonly webhookPosts: number;
}

/**
 * Runs one HTTP request through the twin's gateway and waits for every execution it started.
 * DynamoDB calls are everything the SDK middleware counted meanwhile (gateway handlers, sagas);
 * state transitions are states entered plus retries, which is what Step Functions bills.
 */
const measure = async (
  twin: Twin,
  counter: DynamoCounter,
  label: string,
  send: () => Promise<Response>,
  extra: () => number = () => 0,
): Promise<SagaFigures> => {
  counter.take('background');
  const providerBefore = twin.payments.snapshot().calls;
  const executionsBefore = new Set(allExecutions(twin).map((e) => e.executionArn));
  const extraBefore = extra();
  const response = await send();
  if (response.status >= 300)
    throw new Error(`${label}: ${response.status} ${await response.text()}`);
  await twin.executions.idle();
  const started = allExecutions(twin).filter((e) => !executionsBefore.has(e.executionArn));
  const calls = counter.take('background');
  return {
    label,
    dynamoCalls: calls.total,
    dynamoCommands: calls.byCommand,
    providerCalls: twin.payments.snapshot().calls - providerBefore,
    transitions: started
      .flatMap((e) => e.events)
      .filter((e) => e.type === 'StateEntered' || e.type === 'StateRetried').length,
    webhookPosts: extra() - extraBefore,
  };
};

const allExecutions = (twin: Twin) =>
  ['provision-project', 'charge-order', 'deliver-webhook'].flatMap((name) =>
    twin.executions.list(`arn:aws:states:us-east-1:000000000000:stateMachine:${name}`),
  );

/** Provisioning, charges (clean and with lost responses) and a webhook delivery, measured. */
export const sagaFigures = async (twin: Twin, counter: DynamoCounter): Promise<SagaFigures[]> => {
  const call = (method: string, path: string, body: unknown, key?: string) =>
    fetch(`${twin.url}${path}`, {
      method,
      headers: {
        Authorization: `Bearer ${twin.adminToken}`,
        'Content-Type': 'application/json',
        ...(key ? { 'Idempotency-Key': key } : {}),
      },
      body: JSON.stringify(body),
    });
  const figures: SagaFigures[] = [];
  let projectId = '';
  figures.push(
    await measure(twin, counter, 'POST /projects → provision-project', async () => {
      const response = await call('POST', '/projects', {
        name: 'Bench',
        ownerEmail: 'b@example.com',
      });
      projectId = ((await response.clone().json()) as { id: string }).id;
      return response;
    }),
  );
  const charge =
    (orderId: string, faults = '') =>
    async () => {
      twin.faults.set(faults);
      return call('POST', `/projects/${projectId}/orders/${orderId}/charge`, {
        amount: 1000,
        currency: 'eur',
        customerId: 'cus_bench',
        paymentMethod: 'pm_card_visa',
      });
    };
  figures.push(await measure(twin, counter, 'charge, no faults', charge('bench-1')));
  figures.push(
    await measure(
      twin,
      counter,
      'charge, provider response lost once',
      charge('bench-2', 'provider.charge:lose-response:1'),
    ),
  );
  figures.push(
    await measure(
      twin,
      counter,
      'charge, Charge step response lost once',
      charge('bench-3', 'step.Charge:lose-response:1'),
    ),
  );
  twin.faults.set('');
  const receiver = await startReceiver();
  await call('PUT', `/projects/${projectId}/webhook`, { url: receiver.url });
  const posts = () => receiver.requests.length;
  figures.push(
    await measure(
      twin,
      counter,
      'event → delivered webhook',
      () =>
        call('POST', `/projects/${projectId}/events`, {
          id: 'bench-evt',
          type: 'bench.done',
          data: {},
        }),
      posts,
    ),
  );
  receiver.answers = [500];
  figures.push(
    await measure(
      twin,
      counter,
      'event → webhook delivered on 2nd attempt',
      () =>
        call('POST', `/projects/${projectId}/events`, {
          id: 'bench-evt-2',
          type: 'bench.done',
          data: {},
        }),
      posts,
    ),
  );
  await receiver.close();
  return figures;
};
