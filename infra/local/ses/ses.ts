import { SinkMailer } from '../../../lambdas/lib/adapters/sink-mailer.ts';
import type { RestOperation } from '../aws/aws-endpoint.ts';
import { AwsError } from '../aws/aws-error.ts';

interface SendEmailRequest {
  readonly FromEmailAddress?: string;
  readonly Destination?: { readonly ToAddresses?: readonly string[] };
  readonly Content?: {
    readonly Simple?: {
      readonly Subject?: { readonly Data?: string };
      readonly Body?: { readonly Text?: { readonly Data?: string } };
    };
  };
}

/**
 * The twin's SES v2 `SendEmail` (simple text messages, as `SesMailer` sends them), recording each
 * message in the same outbox as the sink mailer, so `GET /v1/_dev/mail` and the `mail:fail` fault
 * work the same whichever transport the function was configured with.
 */
export const sesOperations = (): RestOperation[] => {
  const sink = new SinkMailer();
  return [
    {
      method: 'POST',
      pattern: /^\/v2\/email\/outbound-emails$/,
      handle: async (_, body) => {
        const request = body as SendEmailRequest;
        const to = request.Destination?.ToAddresses?.[0];
        const simple = request.Content?.Simple;
        if (!request.FromEmailAddress || !to || !simple)
          throw new AwsError(
            'BadRequestException',
            'FromEmailAddress, a destination and simple content are required',
          );
        const { messageId } = await sink.send({
          to,
          subject: simple.Subject?.Data ?? '',
          body: simple.Body?.Text?.Data ?? '',
        });
        return { MessageId: messageId };
      },
    },
  ];
};
