import { executionName } from '../ids.ts';
import type { MailFailure } from '../ports/mail-status.ts';
import type { Failure } from './project.ts';

/** `pending` → `charged` → `fulfilled`; or `declined`; or (after a compensation) `refunded`. */
export const ORDER_STATUSES = [
  'pending',
  'charged',
  'fulfilled',
  'declined',
  'refunded',
  'failed',
] as const;
export type OrderStatus = (typeof ORDER_STATUSES)[number];

/** An order of a project and where its charge stands. */
export interface Order {
  readonly orderId: string;
  readonly projectId: string;
  readonly amount: number;
  readonly currency: string;
  readonly customerId: string;
  /** Null: the customer's default payment method. */
  readonly paymentMethod: string | null;
  readonly status: OrderStatus;
  readonly createdAt: string;
  readonly updatedAt: string;
  readonly chargeId?: string;
  readonly refundId?: string;
  readonly failure?: Failure;
  /** Set when the receipt failed after all its retries (the order stays fulfilled). */
  readonly receiptEmail?: MailFailure;
}

/** What a charge request asks for; the same order id with other terms is another request. */
export const sameTerms = (
  order: Order,
  terms: Pick<Order, 'amount' | 'currency' | 'customerId' | 'paymentMethod'>,
) =>
  order.amount === terms.amount &&
  order.currency === terms.currency &&
  order.customerId === terms.customerId &&
  order.paymentMethod === terms.paymentMethod;

/** `GET …/orders/{orderId}` (and the 202 of the charge request). */
export const orderView = (order: Order) => ({
  orderId: order.orderId,
  status: order.status,
  amount: order.amount,
  currency: order.currency,
  ...(order.chargeId ? { chargeId: order.chargeId } : {}),
  ...(order.refundId ? { refundId: order.refundId } : {}),
  ...(order.failure ? { failure: order.failure } : {}),
  ...(order.receiptEmail ? { receiptEmail: order.receiptEmail } : {}),
});

/** The charge-order execution of an order: one per (project, order), ever. */
export const chargeExecutionName = (projectId: string, orderId: string): string =>
  executionName('charge', `${projectId}_${orderId}`);

/** The charge-order execution input: the order's terms, taken from the stored order. */
export const chargeInput = (order: Order) => ({
  projectId: order.projectId,
  orderId: order.orderId,
  amount: order.amount,
  currency: order.currency,
  customerId: order.customerId,
  paymentMethod: order.paymentMethod,
});
