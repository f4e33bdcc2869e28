import type { ProductType } from '../catalog.ts';
import type { Money } from '../money.ts';

/**
 * A product of an account (R12). Keys: pk = ORG#<orgId>, sk = PRODUCT#<productId>.
 * The id stays the same when the product moves to another account (R13).
 */
export type ProductStatus = 'active' | 'expired' | 'terminated';

export interface Product {
  productId: string;
  organizationId: string;
  type: ProductType;
  /** What the customer calls it: the domain name, the hosting's name. */
  name: string;
  status: ProductStatus;
  /** Last day of the paid term (YYYY-MM-DD, Swiss time). */
  expiresOn: string;
  renewalPeriodMonths: number;
  /** Price of one renewal period. */
  price: Money;
  createdAt: string;
  terminatedAt?: string;
  /** The renewal invoice waiting to be paid, if any (R23). */
  openRenewalInvoiceId?: string;
  /** The next renewal reminder of this term (R25); indexed in GSI2 on its day. */
  nextReminder?: { stage: number; day: string };
}

export const productKeys = (organizationId: string, productId: string) => ({
  pk: `ORG#${organizationId}`,
  sk: `PRODUCT#${productId}`,
});

/** A request to move products to an account whose admin must accept it (R13). pk = ORG#<target>. */
export interface TransferRequest {
  transferId: string;
  sourceOrganizationId: string;
  targetOrganizationId: string;
  productIds: string[];
  requestedBy: string;
  status: 'pending' | 'accepted' | 'declined';
  createdAt: string;
}

export const transferKeys = (targetOrganizationId: string, transferId: string) => ({
  pk: `ORG#${targetOrganizationId}`,
  sk: `TRANSFER#${transferId}`,
});

/** At most this many products move in one transfer (one DynamoDB transaction). */
export const MAX_TRANSFER_PRODUCTS = 25;
