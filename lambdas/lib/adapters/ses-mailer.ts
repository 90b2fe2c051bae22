import { SESv2Client, SendEmailCommand } from '@aws-sdk/client-sesv2';
import { tracer } from '../observability.ts';
import type { Mail, Mailer } from '../ports/mailer.ts';

/** Sends e-mail through Amazon SES (v2 API). */
export class SesMailer implements Mailer {
  constructor(
    private readonly from: string,
    private readonly client: SESv2Client = tracer.captureAWSv3Client(new SESv2Client({})),
  ) {}

  async send(mail: Mail): Promise<{ messageId: string }> {
    const { MessageId } = await this.client.send(
      new SendEmailCommand({
        FromEmailAddress: this.from,
        Destination: { ToAddresses: [mail.to] },
        Content: {
          Simple: { Subject: { Data: mail.subject }, Body: { Text: { Data: mail.body } } },
        },
      }),
    );
    if (!MessageId) throw new Error('SES accepted the message without a MessageId');
    return { messageId: MessageId };
  }
}
