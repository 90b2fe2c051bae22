import { Webhook } from 'standardwebhooks';
import { type Api, eventually } from '../../test/support/api.ts';
import { type Receiver, startReceiver } from '../../test/support/receiver.ts';
import { check, expectStatus, type TourStep, until, WAIT_MS } from './steps.ts';

/**
 * Every capability of the control plane, driven through the HTTP API as a client would (the
 * README's curl tour, plus a refund and an event-fired activity). Steps share what they created;
 * a step whose prerequisite failed fails too, saying so.
 */
export const tourSteps = (api: Api): { steps: TourStep[]; close: () => Promise<void> } => {
  const run = Date.now().toString(36);
  const owner = `ops-${run}@acme.example`;
  let projectId: string | undefined;
  let key: { id: string; secret: string } | undefined;
  let receiver: Receiver | undefined;
  let webhookSecret: string | undefined;
  const activityId = '4f0c2b1e-8a5d-4c1e-9a43-1b2c3d4e5f60';
  const project = () => {
    if (!projectId) throw new Error('needs the provisioned project (an earlier step failed)');
    return projectId;
  };
  const mailTo = async (to: string, subject: RegExp) =>
    ((await api.get('/_dev/mail')).body as { to: string; subject: string }[]).filter(
      (mail) => mail.to === to && subject.test(mail.subject),
    );

  const charge = async (orderId: string, outcome: string) => {
    const P = project();
    const response = await api.post(`/projects/${P}/orders/${orderId}/charge`, {
      amount: 4200,
      currency: 'eur',
      customerId: 'cus_123',
      paymentMethod: 'pm_card_visa',
    });
    expectStatus(response, 202, 'POST charge');
    return until(
      api,
      `/projects/${P}/orders/${orderId}`,
      (b) => b.status === outcome,
      `order ${orderId} ${outcome}`,
    );
  };

  const steps: TourStep[] = [
    {
      name: 'health and the OpenAPI document answer without a token',
      run: async () => {
        expectStatus(await api.get('/health', { token: null }), 200, 'GET /health');
        const document = await api.get('/openapi.json', { token: null });
        expectStatus(document, 200, 'GET /openapi.json');
        check(typeof document.body?.openapi === 'string', 'the OpenAPI document has no version');
      },
    },
    {
      name: 'provision a project: 202, replayed byte for byte, saga ends active, one welcome e-mail',
      run: async () => {
        const body = { name: 'Acme', ownerEmail: owner, plan: 'pro' };
        const created = await api.post('/projects', body, { key: `rehearsal-${run}` });
        expectStatus(created, 202, 'POST /projects');
        const replay = await api.post('/projects', body, { key: `rehearsal-${run}` });
        check(
          replay.headers.get('idempotent-replayed') === 'true',
          'the replay is not marked Idempotent-Replayed',
        );
        check(replay.text === created.text, 'the replay differs from the first answer');
        projectId = created.body.id as string;
        await until(api, `/projects/${projectId}`, (b) => b.status === 'active', 'project active');
        await eventually(
          async () => ((await mailTo(owner, /./)).length === 1 ? true : undefined),
          WAIT_MS,
        );
      },
    },
    {
      name: 'create an API key (201, secret once), use it on its project, not on another',
      run: async () => {
        const P = project();
        const created = await api.post(
          `/projects/${P}/keys`,
          { name: 'ci' },
          { key: `key-${run}` },
        );
        expectStatus(created, 201, 'POST keys');
        key = { id: created.body.id, secret: created.body.secret };
        expectStatus(
          await api.get(`/projects/${P}`, { token: key.secret }),
          200,
          'GET project with the key',
        );
        expectStatus(
          await api.get('/projects/prj_aaaaaaaaaaaaaaaaaaaaaaaaaa', { token: key.secret }),
          404,
          'GET another project with the key',
        );
        const listed = await api.get(`/projects/${P}/keys`);
        expectStatus(listed, 200, 'GET keys');
        check(!listed.text.includes(key.secret), 'the key list shows a secret');
      },
    },
    {
      name: 'webhook endpoint + event: delivered once to a local receiver, signature valid',
      run: async () => {
        const P = project();
        receiver = await startReceiver();
        const put = await api.put(`/projects/${P}/webhook`, {
          url: receiver.url,
          eventTypes: ['order.paid'],
        });
        expectStatus(put, 200, 'PUT webhook');
        webhookSecret = put.body.secret as string;
        const posted = await api.post(`/projects/${P}/events`, {
          id: `paid-${run}`,
          type: 'order.paid',
          data: { total: 4200 },
        });
        expectStatus(posted, 202, 'POST event');
        await until(
          api,
          `/projects/${P}/events/paid-${run}`,
          (b) => b.delivery?.status === 'delivered',
          'event delivered',
        );
        check(
          receiver.requests.length === 1,
          `the receiver got ${receiver.requests.length} requests`,
        );
        const [request] = receiver.requests;
        new Webhook(webhookSecret).verify(
          request?.body ?? '',
          request?.headers as Record<string, string>,
        );
      },
    },
    {
      name: 'charge an order: fulfilled, one payment intent, receipt e-mailed',
      run: async () => {
        await charge(`order-ok-${run}`, 'fulfilled');
        const payments = (await api.get('/_dev/payments')).body as {
          paymentIntents: { metadata: { orderId?: string } }[];
        };
        const intents = payments.paymentIntents.filter(
          (i) => i.metadata.orderId === `order-ok-${run}`,
        );
        check(intents.length === 1, `${intents.length} payment intents for the order`);
        await eventually(
          async () => ((await mailTo(owner, /Receipt/)).length >= 1 ? true : undefined),
          WAIT_MS,
        );
      },
    },
    {
      name: 'charge an order whose fulfilment keeps failing: refunded exactly once',
      run: async () => {
        expectStatus(
          await api.put('/_dev/faults', { faults: 'step.Fulfil:fail' }),
          200,
          'PUT faults',
        );
        try {
          await charge(`order-refund-${run}`, 'refunded');
        } finally {
          await api.delete('/_dev/faults');
        }
        const payments = (await api.get('/_dev/payments')).body as {
          paymentIntents: { id: string; metadata: { orderId?: string } }[];
          refunds: { payment_intent: string }[];
        };
        const intent = payments.paymentIntents.find(
          (i) => i.metadata.orderId === `order-refund-${run}`,
        );
        const refunds = payments.refunds.filter((r) => r.payment_intent === intent?.id);
        check(refunds.length === 1, `${refunds.length} refunds for the order`);
      },
    },
    {
      name: 'activity fired by its schedule (Scheduler → dispatcher → run-activity): one run, succeeded',
      run: async () => {
        const P = project();
        const put = await api.put(`/projects/${P}/activities/${activityId}`, {
          schedule: 'cron(0 * * * ? *)',
          timezone: 'Europe/Paris',
          misfirePolicy: 'catchup',
          dedupeKeyStrategy: 'catchup',
          maxCatchup: 5,
          eventTypes: ['order.paid'],
          tasks: [{ type: 'noop', count: 2 }],
        });
        check(
          put.status === 200 || put.status === 201,
          `PUT activity answered ${put.status} ${put.text.slice(0, 300)}`,
        );
        const fired = await api.post('/_dev/scheduler/fire', {
          projectId: P,
          activityId,
          scheduledFor: '2026-03-01T09:00:00Z',
        });
        expectStatus(fired, 200, 'fire the schedule');
        await until(
          api,
          `/projects/${P}/activities/${activityId}/runs`,
          (b) =>
            b.runs?.some(
              (r: { trigger: string; status: string }) =>
                r.trigger === 'schedule' && r.status === 'succeeded',
            ),
          'a scheduled run succeeded',
        );
      },
    },
    {
      name: 'activity fired by an event (API → EventBridge → router → run-activity): one run, succeeded',
      run: async () => {
        const P = project();
        const posted = await api.post(`/projects/${P}/events`, {
          id: `paid-again-${run}`,
          type: 'order.paid',
          data: {},
        });
        expectStatus(posted, 202, 'POST event');
        await until(
          api,
          `/projects/${P}/activities/${activityId}/runs`,
          (b) =>
            b.runs?.some(
              (r: { trigger: string; status: string; eventId?: string }) =>
                r.trigger === 'event' && r.status === 'succeeded',
            ),
          'an event-fired run succeeded',
        );
      },
    },
    {
      name: 'revoke the API key: 200, then the key is refused at once (401)',
      run: async () => {
        const P = project();
        if (!key) throw new Error('needs the API key (an earlier step failed)');
        expectStatus(await api.delete(`/projects/${P}/keys/${key.id}`), 200, 'DELETE key');
        expectStatus(
          await api.get(`/projects/${P}`, { token: key.secret }),
          401,
          'GET with the revoked key',
        );
      },
    },
    {
      name: 'audit log: key.created and key.revoked, newest first, signed cursor',
      run: async () => {
        const P = project();
        const audit = await api.get(`/projects/${P}/audit?limit=20`);
        expectStatus(audit, 200, 'GET audit');
        const actions = (audit.body.entries as { action: string }[]).map((e) => e.action);
        check(
          actions.includes('key.created') && actions.includes('key.revoked'),
          `audit has ${actions.join(', ')}`,
        );
      },
    },
    {
      name: 'deprovision whose first saga fails: stays deleting, the next DELETE restarts it, ends deleted, schedules removed',
      run: async () => {
        const P = project();
        // Every attempt of DropTenantStorage fails once (1 + MaxAttempts 6): the first saga fails.
        expectStatus(
          await api.put('/_dev/faults', { faults: 'step.DropTenantStorage:fail:7' }),
          200,
          'PUT faults',
        );
        try {
          expectStatus(await api.delete(`/projects/${P}`), 202, 'DELETE project');
          // Each DELETE while deleting starts the saga again by name: Step Functions answers for
          // the running execution, and once it failed, DescribeExecution leads to the restart.
          await eventually(async () => {
            const again = await api.delete(`/projects/${P}`);
            if (again.status !== 202)
              throw new Error(`DELETE again answered ${again.status} ${again.text}`);
            await new Promise((resolve) => setTimeout(resolve, 300));
            return again.body.status === 'deleted' ? true : undefined;
          }, WAIT_MS);
        } finally {
          await api.delete('/_dev/faults');
        }
        await until(api, `/projects/${P}`, (b) => b.status === 'deleted', 'project deleted');
        const schedules = (await api.get('/_dev/schedules')).body as unknown[];
        check(!JSON.stringify(schedules).includes(P), 'a schedule of the deleted project is left');
      },
    },
  ];
  return { steps, close: async () => receiver?.close() };
};
