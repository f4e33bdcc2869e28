import * as z from 'zod/mini';
import { BillingAddress, Credit, PromoCode } from './entities/billing.ts';
import { Invitation } from './entities/invitation.ts';
import { Invoice, InvoiceLine, LedgerEntry, ProForma } from './entities/invoice.ts';
import { Rights } from './entities/membership.ts';
import { Organization } from './entities/organization.ts';
import { Product, TransferRequest } from './entities/product.ts';
import { Suppression } from './entities/suppression.ts';
import { UserProfile } from './entities/user.ts';
import { Currency } from './money.ts';
import { built } from './schemas.ts';

/**
 * What the routes answer, as schemas: the second half of each route's contract (the first is
 * the request schemas, in the handlers). Entities are shown as stored, minus what only the
 * server needs; views are named here. The route table (infra/stacks/routes.ts) names each
 * route's answers, so that these schemas stay out of the functions' bundles (no handler
 * validates its answers at run time); docs/openapi.json is generated from them
 * (infra/openapi.ts), and every answer the integration tests receive is checked against it.
 */

/** A page of a list: its items and the cursor of the next page (null on the last). */
export const Page = <T extends z.ZodMiniType>(item: T) =>
  z.object({
    items: z.array(item),
    nextCursor: z
      .nullable(z.string())
      .check(z.describe('Pass as `cursor` for the next page; null on the last page.')),
  });

export const Role = z.enum(['legalRepresentative', 'admin', 'member']);

export const Profile = UserProfile;

/** An account as one of its members sees it: their role and rights in it, its logo's URL. */
export const AccountView = z.extend(z.omit(built(Organization), { adminCount: true, logoKey: true }), {
  logoUrl: z.optional(z.nullable(z.string())).check(z.describe('A short-lived URL of the logo, or null.')),
  role: Role,
  rights: Rights,
});

export const AccountSummary = z.object({
  organizationId: z.string(),
  name: z.string(),
  role: Role,
  rights: Rights,
});

/** Why no e-mail reaches a member's or invitee's address any more (issue 15). */
const MailSuppressed = Suppression.check(
  z.describe('Present when SES reported the address as undeliverable or complaining: no e-mail goes to it.'),
);

export const MemberView = z.object({
  userId: z.string(),
  email: z.string(),
  role: Role,
  rights: Rights,
  joinedAt: z.string(),
  mailSuppressed: z.optional(MailSuppressed),
});

export const InvitationView = z.extend(built(Invitation), { mailSuppressed: z.optional(MailSuppressed) });

export const AcceptedInvitation = z.object({
  organizationId: z.string(),
  organizationName: z.string(),
  role: Role,
});

export const LogoUpload = z.object({
  uploadId: z.string(),
  method: z.literal('PUT'),
  url: z.string().check(z.describe('A presigned S3 URL: PUT the file there with exactly these headers.')),
  headers: z.record(z.string(), z.string()),
  expiresAt: z.string(),
});

export const LogoAccepted = z.object({
  logoUrl: z.string(),
  width: z.int(),
  height: z.int(),
});

export const ReminderSchedule = z.object({
  stages: z.array(z.int()),
  custom: z.boolean(),
  productsRescheduled: z.int(),
});

export const TransferOutcome = z.union([
  z.object({ status: z.literal('transferred') }),
  z.object({ status: z.literal('requested'), transferId: z.string() }),
]);

const QuotedCredit = z.pick(built(Credit), { creditId: true, amount: true, freeMonths: true, note: true });

export const Quote = z.object({
  currency: Currency,
  lines: z.array(z.extend(built(InvoiceLine), { availableCredits: z.array(QuotedCredit) })),
  net: z.int(),
  vat: z.int(),
  total: z.int(),
  problems: z.array(z.object({ pointer: z.string(), detail: z.string() })),
});

export const PlacedOrder = z.object({
  organizationId: z.string(),
  invoice: Invoice,
  products: z.array(Product),
});

export const DefaultAddress = z.object({ defaultBillingAddressId: z.string() });

export const Statement = z.object({
  balance: z.int(),
  currency: Currency,
  entries: z
    .array(LedgerEntry)
    .check(z.describe('The ledger, newest first, a page at a time (`limit`, `cursor`).')),
  nextCursor: z
    .nullable(z.string())
    .check(z.describe('Pass as `cursor` for older entries; null on the last page.')),
});

export const WithdrawalDone = z.object({ balance: z.int(), currency: Currency, entry: LedgerEntry });

export const DocumentLink = z.object({
  url: z.string().check(z.describe('A presigned URL of the PDF.')),
  expiresInSeconds: z.int(),
});

export const ProFormaIssued = z.extend(DocumentLink, { proForma: ProForma });

export const ToPay = z.object({
  products: z.array(
    z.extend(built(Product), {
      renewalPrice: built(Product).shape.price.check(z.describe('What renewing it costs.')),
    }),
  ),
  invoices: z.array(Invoice).check(z.describe('The open invoices, newest first.')),
});

/** A free credit with whether an order may still use it. */
export const CreditView = z.extend(built(Credit), { available: z.boolean() });

export const AuditEntry = z.object({
  entryId: z.string(),
  at: z.string(),
  actorId: z.string().check(z.describe('The user id of who made the change.')),
  action: z.string().check(z.describe('What changed: organization.created, member.rights-changed, …')),
  details: z.record(z.string(), z.unknown()),
  route: z
    .nullable(z.string())
    .check(z.describe('`METHOD /path` of the API call; null for a workflow step.')),
});

export const DeletionStarted = z.object({ status: z.string(), detail: z.string() });
export const DeletionConfirmed = z.object({ status: z.string() });

export const Accepted = z.object({ detail: z.string() });

export const RecoveryChange = z.object({ recoveryEmail: z.string(), pendingRecoveryEmail: z.string() });
export const RecoveryConfirmed = z.object({ recoveryEmail: z.string() });

export const PaymentOutcome = z.object({
  duplicate: z.boolean(),
  matched: z.boolean(),
  organizationId: z.optional(z.nullable(z.string())),
  paidInvoices: z.array(z.string()),
  partiallyPaidInvoices: z.array(z.string()),
  toPrepaidBalance: z.int(),
  renewedProducts: z.array(z.string()),
});

/** A billing address as the list shows it: whether it is the account's default. */
export const AddressListItem = z.extend(built(BillingAddress), { default: z.boolean() });

/** This API's own OpenAPI document. */
export const OpenApiDocument = z.looseObject({
  openapi: z.string(),
  paths: z.record(z.string(), z.unknown()),
});

export const Health = z.object({ status: z.literal('ok'), service: z.string(), time: z.string() });

export { BillingAddress, Credit, Invitation, Invoice, Product, PromoCode, TransferRequest };

/** The CSV export's media type. */
export const CSV = { mediaType: 'text/csv' } as const;
