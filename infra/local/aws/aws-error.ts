/** An error the twin's AWS API endpoints answer in the AWS JSON protocol's shape. */
export class AwsError extends Error {
  constructor(
    readonly type: string,
    message: string,
    readonly status = 400,
  ) {
    super(message);
    this.name = type;
  }
}
