import type { SESv2Client } from '@aws-sdk/client-sesv2';
import { describe, expect, it } from 'vitest';
import { SesMailer } from '../../../lambdas/lib/adapters/ses-mailer.ts';

/** A stand-in SES client that records commands: the adapter's edge cases need no AWS. */
const fakeSes = (answer: { MessageId?: string }) => {
  const sent: { input: unknown }[] = [];
  const client = {
    send: async (command: { input: unknown }) => {
      sent.push(command);
      return answer;
    },
  } as unknown as SESv2Client;
  return { client, sent };
};

describe('SesMailer', () => {
  it('sends a plain-text e-mail from the configured sender and returns the message id', async () => {
    const ses = fakeSes({ MessageId: 'm-1' });
    const result = await new SesMailer('no-reply@example.com', ses.client).send({
      to: 'a@example.com',
      subject: 'Hi',
      body: 'Text',
    });

    expect(result).toEqual({ messageId: 'm-1' });
    expect(ses.sent[0]?.input).toEqual({
      FromEmailAddress: 'no-reply@example.com',
      Destination: { ToAddresses: ['a@example.com'] },
      Content: { Simple: { Subject: { Data: 'Hi' }, Body: { Text: { Data: 'Text' } } } },
    });
  });

  it('fails loudly when SES answers without a message id', async () => {
    const ses = fakeSes({});
    await expect(
      new SesMailer('no-reply@example.com', ses.client).send({
        to: 'a@example.com',
        subject: 's',
        body: 'b',
      }),
    ).rejects.toThrow(/MessageId/);
  });
});
