import type { Order, OrderStatus } from '../domain/orders.ts';
import type { Failure } from '../domain/project.ts';

/** A settled provider outcome in the payment ledger (`CHARGE#` / `REFUND#` records). */
export interface ChargeRecord {
  readonly status: 'succeeded' | 'declined';
  readonly chargeId?: string;
  readonly declineCode?: string;
  readonly message?: string;
  readonly idempotencyKey: string;
  readonly at: string;
}

export interface RefundRecord {
  readonly refundId: string;
  readonly chargeId: string;
  readonly idempotencyKey: string;
  readonly at: string;
}

/** A ledger record as stored, and whether this call wrote it (false: an earlier attempt did). */
export interface Recorded<T> {
  readonly record: T;
  readonly created: boolean;
}

/**
 * Orders and their payment ledger. Every write that settles a provider outcome also moves the
 * order's status, in one transaction, so the order never disagrees with its ledger.
 */
export interface OrderStore {
  /** Stores the order unless it exists (ProjectNotFound / ProjectStateConflict for the project). */
  create(order: Order): Promise<{ order: Order; created: boolean }>;
  get(projectId: string, orderId: string): Promise<Order | undefined>;
  charge(projectId: string, orderId: string): Promise<ChargeRecord | undefined>;
  /** Records the charge outcome once and moves the order `pending` → `charged` | `declined`. */
  recordCharge(
    projectId: string,
    orderId: string,
    record: ChargeRecord,
  ): Promise<Recorded<ChargeRecord>>;
  /** Grants the order's entitlement on the project once and moves `charged` → `fulfilled`. */
  fulfil(projectId: string, orderId: string, at: string): Promise<void>;
  /** Removes the entitlement, if granted. */
  revokeEntitlement(projectId: string, orderId: string): Promise<void>;
  refund(projectId: string, orderId: string): Promise<RefundRecord | undefined>;
  /** Records the refund once and moves the order to `refunded`. */
  recordRefund(
    projectId: string,
    orderId: string,
    record: RefundRecord,
  ): Promise<Recorded<RefundRecord>>;
  /** Moves the order from one of `from` to `to` (already at `to` is success). */
  transition(change: {
    projectId: string;
    orderId: string;
    from: readonly OrderStatus[];
    to: OrderStatus;
    at: string;
    failure?: Failure;
  }): Promise<void>;
}
