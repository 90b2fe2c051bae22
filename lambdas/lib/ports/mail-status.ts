/** Which mail a saga sends: the project's welcome, or an order's receipt. */
export type MailKind = 'welcome' | 'receipt';

/** A mail given up on after its retries: what the API shows on the project or order. */
export interface MailFailure {
  readonly status: 'failed';
  readonly error: string;
  readonly at: string;
}

/** Where a mail that finally failed is recorded. */
export interface MailStatusStore {
  /**
   * Records the failure on the project (welcome) or the order (receipt), with its audit entry, in
   * one transaction; a second call keeps the first record and changes nothing.
   */
  recordFailed(failure: {
    projectId: string;
    orderId?: string;
    kind: MailKind;
    error: string;
    at: string;
  }): Promise<void>;
}
