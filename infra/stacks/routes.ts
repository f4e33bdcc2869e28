import type { Responses } from '../../functions/core/http.ts';
import {
  Accepted,
  AcceptedInvitation,
  AccountSummary,
  AccountView,
  AddressListItem,
  AuditEntry,
  BillingAddress,
  Credit,
  CreditView,
  CSV,
  DefaultAddress,
  DeletionConfirmed,
  DeletionStarted,
  DocumentLink,
  Health,
  Invitation,
  InvitationView,
  Invoice,
  LogoAccepted,
  LogoUpload,
  MemberView,
  OpenApiDocument,
  Page,
  PaymentOutcome,
  PlacedOrder,
  Product,
  ProFormaIssued,
  Profile,
  PromoCode,
  Quote,
  RecoveryChange,
  RecoveryConfirmed,
  ReminderSchedule,
  Statement,
  ToPay,
  TransferOutcome,
  TransferRequest,
  WithdrawalDone,
} from '../../functions/core/responses.ts';
import { DOCUMENT_PREFIXES } from '../constructs/documents-bucket.ts';

/** Logos and the uploads that wait to become one (R6). */
const LOGOS = [DOCUMENT_PREFIXES.logos, `${DOCUMENT_PREFIXES.uploads}logos/`];

/**
 * What a route's function may touch; each binder sets the variable and grants exactly that
 * (least privilege per route, docs/decisions.md).
 */
export interface RouteAccess {
  table?: 'read' | 'write';
  mail?: boolean;
  /** The Cognito admin actions the route calls. */
  userPool?: string[];
  invitations?: 'start' | 'callback';
  deletions?: 'start' | 'callback';
  /** Starts the PasswordReset workflow, which sends the e-mail after the answer. */
  passwordResets?: 'start';
  /** Anyone can make it send e-mail: its own API throttle and per-client limit (issue 13). */
  publicMail?: boolean;
  documents?: ['read' | 'readWrite', string[]] | ['read' | 'readWrite', string[], { list: boolean }];
  /** Hands out page cursors: reads the key that signs them. */
  pages?: boolean;
  /** Renders PDFs (pdfkit installed beside the bundle, more memory and time). */
  pdf?: boolean;
  public?: boolean;
}

/** One API route: its construct id, `METHOD /path` as API Gateway writes a route key, its handler. */
export interface RouteSpec extends RouteAccess {
  id: string;
  route: string;
  /** `functions/<feature>/<action>.ts` */
  entry: string;
  /** What it answers when it succeeds (functions/core/responses.ts), for docs/openapi.json. */
  responses: Responses;
}

const route = (
  id: string,
  key: string,
  handler: string,
  access: RouteAccess,
  responses: Responses,
): RouteSpec => ({
  id,
  route: key,
  entry: `functions/${handler}.ts`,
  responses,
  ...access,
});

/**
 * The stack that holds each feature's routes, by the folder of their handlers. CloudFormation
 * allows 500 resources a stack and a route takes seven (function, role, policy, log group,
 * integration, route, permission): a stack of features keeps room for three times its routes,
 * and a route never moves between stacks when another is added (docs/decisions.md).
 */
export const ROUTE_STACKS = {
  Account: ['health', 'docs', 'me', 'login', 'organizations'],
  Team: ['members', 'invitations'],
  Products: ['products', 'orders'],
  Billing: ['billing', 'invoices', 'audit', 'staff'],
} as const satisfies Record<string, string[]>;

/**
 * `Api` for a route the stage throttles on its own (its RouteSettings may only name a route of
 * its own stack), else the stack of its feature.
 */
export function routeStackOf(spec: RouteSpec): 'Api' | keyof typeof ROUTE_STACKS {
  if (spec.publicMail) return 'Api';
  const feature = spec.entry.split('/')[1] ?? '';
  for (const [stack, features] of Object.entries(ROUTE_STACKS)) {
    if ((features as readonly string[]).includes(feature)) return stack as keyof typeof ROUTE_STACKS;
  }
  throw new Error(`Route ${spec.route}: no stack holds the feature '${feature}' (ROUTE_STACKS)`);
}

/** Every route of the HTTP API, one line each. */
// biome-ignore format: one line per route, as a table reads
export const ROUTES: RouteSpec[] = [
  route('Health', 'GET /v1/health', 'health/get', { public: true }, { 200: Health }),
  route('OpenApi', 'GET /v1/openapi.json', 'docs/openapi', { public: true }, { 200: OpenApiDocument }),
  route('GetMe', 'GET /v1/me', 'me/get', { table: 'read', userPool: ['cognito-idp:AdminGetUser'] }, { 200: Profile }),
  route('UpdateMe', 'PATCH /v1/me', 'me/update', { table: 'write', userPool: ['cognito-idp:AdminGetUser'] }, { 200: Profile }),
  route('ListMyOrganizations', 'GET /v1/me/organizations', 'me/list-organizations', { table: 'read', pages: true }, { 200: Page(AccountSummary) }),
  route('SwitchOrganization', 'PUT /v1/me/current-organization', 'me/switch-organization', { table: 'write', userPool: ['cognito-idp:AdminGetUser'] }, { 200: Profile }),
  route('RequestRecoveryEmail', 'PUT /v1/me/recovery-email', 'me/request-recovery-email', { table: 'write', mail: true, userPool: ['cognito-idp:AdminGetUser'] }, { 202: RecoveryChange }),
  route('ConfirmRecoveryEmail', 'POST /v1/recovery-email/confirmations', 'login/confirm-recovery-email', { table: 'write', public: true }, { 200: RecoveryConfirmed }),
  route('ForgotPassword', 'POST /v1/password-resets', 'login/forgot-password', { table: 'write', passwordResets: 'start', publicMail: true, public: true }, { 202: Accepted }),
  route('ResetPassword', 'POST /v1/password-resets/complete', 'login/reset-password', { table: 'write', userPool: ['cognito-idp:AdminSetUserPassword'], public: true }, { 204: null }),
  route('CreateOrganization', 'POST /v1/organizations', 'organizations/create', { table: 'write', userPool: ['cognito-idp:AdminGetUser'] }, { 201: AccountView }),
  route('GetOrganization', 'GET /v1/organizations/{orgId}', 'organizations/get', { table: 'read', documents: ['read', LOGOS] }, { 200: AccountView }),
  route('StartLogoUpload', 'POST /v1/organizations/{orgId}/logo/uploads', 'organizations/start-logo-upload', { table: 'write', documents: ['readWrite', LOGOS] }, { 201: LogoUpload }),
  route('SetLogo', 'PUT /v1/organizations/{orgId}/logo', 'organizations/set-logo', { table: 'write', documents: ['readWrite', LOGOS, { list: true }] }, { 200: LogoAccepted }),
  route('RemoveLogo', 'DELETE /v1/organizations/{orgId}/logo', 'organizations/remove-logo', { table: 'write', documents: ['readWrite', LOGOS] }, { 204: null }),
  route('ListMembers', 'GET /v1/organizations/{orgId}/members', 'members/list', { table: 'read', pages: true }, { 200: Page(MemberView) }),
  route('ChangeRights', 'PUT /v1/organizations/{orgId}/members/{userId}/rights', 'members/update', { table: 'write' }, { 200: MemberView }),
  route('RemoveMember', 'DELETE /v1/organizations/{orgId}/members/{userId}', 'members/remove', { table: 'write' }, { 204: null }),
  route('AppointLegalRepresentative', 'PUT /v1/organizations/{orgId}/legal-representative', 'members/appoint-legal-representative', { table: 'write', mail: true }, { 200: MemberView }),
  route('Invite', 'POST /v1/organizations/{orgId}/invitations', 'invitations/create', { table: 'write', invitations: 'start' }, { 201: Invitation }),
  route('ListInvitations', 'GET /v1/organizations/{orgId}/invitations', 'invitations/list', { table: 'read', pages: true }, { 200: Page(InvitationView) }),
  route('RevokeInvitation', 'DELETE /v1/organizations/{orgId}/invitations/{invitationId}', 'invitations/revoke', { table: 'write', invitations: 'callback' }, { 200: Invitation }),
  route('ResendInvitation', 'POST /v1/organizations/{orgId}/invitations/{invitationId}/resend', 'invitations/resend', { table: 'write', mail: true, invitations: 'callback' }, { 200: Invitation }),
  route('AcceptInvitation', 'POST /v1/invitations/acceptances', 'invitations/accept', { table: 'write', invitations: 'callback', userPool: ['cognito-idp:AdminGetUser'] }, { 200: AcceptedInvitation }),
  route('ListProducts', 'GET /v1/organizations/{orgId}/products', 'products/list', { table: 'read', pages: true }, { 200: Page(Product) }),
  route('GetProduct', 'GET /v1/organizations/{orgId}/products/{productId}', 'products/get', { table: 'read' }, { 200: Product }),
  route('ReminderStages', 'PUT /v1/organizations/{orgId}/reminder-stages', 'products/reminder-stages', { table: 'write' }, { 200: ReminderSchedule }),
  route('TerminateProduct', 'POST /v1/organizations/{orgId}/products/{productId}/termination', 'products/terminate', { table: 'write' }, { 200: Product }),
  route('TransferProducts', 'POST /v1/organizations/{orgId}/product-transfers', 'products/transfer', { table: 'write' }, { 200: TransferOutcome, 202: TransferOutcome }),
  route('ListTransfers', 'GET /v1/organizations/{orgId}/product-transfers', 'products/list-transfers', { table: 'read', pages: true }, { 200: Page(TransferRequest) }),
  route('AcceptTransfer', 'POST /v1/organizations/{orgId}/product-transfers/{transferId}/acceptance', 'products/accept-transfer', { table: 'write' }, { 200: TransferRequest }),
  route('QuoteOrder', 'POST /v1/orders/quote', 'orders/quote', { table: 'read' }, { 200: Quote }),
  route('PlaceOrder', 'POST /v1/orders', 'orders/place', { table: 'write', userPool: ['cognito-idp:AdminGetUser'] }, { 201: PlacedOrder }),
  route('ListAddresses', 'GET /v1/organizations/{orgId}/billing-addresses', 'billing/list-addresses', { table: 'read', pages: true }, { 200: Page(AddressListItem) }),
  route('AddAddress', 'POST /v1/organizations/{orgId}/billing-addresses', 'billing/add-address', { table: 'write' }, { 201: BillingAddress }),
  route('EditAddress', 'PUT /v1/organizations/{orgId}/billing-addresses/{addressId}', 'billing/edit-address', { table: 'write' }, { 200: BillingAddress }),
  route('SetDefaultAddress', 'PUT /v1/organizations/{orgId}/default-billing-address', 'billing/set-default-address', { table: 'write' }, { 200: DefaultAddress }),
  route('ListCredits', 'GET /v1/organizations/{orgId}/credits', 'billing/list-credits', { table: 'read', pages: true }, { 200: Page(CreditView) }),
  route('Prepaid', 'GET /v1/organizations/{orgId}/prepaid', 'billing/prepaid', { table: 'read', pages: true }, { 200: Statement }),
  route('Withdraw', 'POST /v1/organizations/{orgId}/prepaid/withdrawals', 'billing/withdraw', { table: 'write' }, { 201: WithdrawalDone }),
  route('ListAuditLog', 'GET /v1/organizations/{orgId}/audit-log', 'audit/list', { table: 'read', pages: true }, { 200: Page(AuditEntry) }),
  route('ListInvoices', 'GET /v1/organizations/{orgId}/invoices', 'invoices/list', { table: 'read', pages: true }, { 200: Page(Invoice) }),
  route('ExportInvoices', 'GET /v1/organizations/{orgId}/invoices/export', 'invoices/export', { table: 'read' }, { 200: CSV }),
  route('GetInvoice', 'GET /v1/organizations/{orgId}/invoices/{invoiceId}', 'invoices/get', { table: 'read' }, { 200: Invoice }),
  route('InvoiceDocument', 'GET /v1/organizations/{orgId}/invoices/{invoiceId}/document', 'invoices/document', { table: 'read', documents: ['readWrite', [DOCUMENT_PREFIXES.invoices]], pdf: true }, { 200: DocumentLink }),
  route('ToPay', 'GET /v1/organizations/{orgId}/to-pay', 'invoices/to-pay', { table: 'read' }, { 200: ToPay }),
  route('CreateProForma', 'POST /v1/organizations/{orgId}/pro-formas', 'invoices/create-pro-forma', { table: 'write', documents: ['readWrite', [DOCUMENT_PREFIXES.proForma]], pdf: true }, { 201: ProFormaIssued }),
  route('RequestDeletion', 'POST /v1/organizations/{orgId}/deletion', 'organizations/request-deletion', { table: 'write', deletions: 'start' }, { 202: DeletionStarted }),
  route('ConfirmDeletion', 'POST /v1/account-deletions/confirmations', 'organizations/confirm-deletion', { table: 'write', deletions: 'callback', public: true }, { 200: DeletionConfirmed }),
  route('GrantCredit', 'POST /v1/staff/organizations/{orgId}/credits', 'staff/grant-credit', { table: 'write' }, { 201: Credit }),
  route('CreatePromoCode', 'POST /v1/staff/promo-codes', 'staff/create-promo-code', { table: 'write' }, { 201: PromoCode }),
  route('RecordBankPayment', 'POST /v1/staff/bank-payments', 'staff/record-bank-payment', { table: 'write' }, { 200: PaymentOutcome }),
];
