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
}

const route = (id: string, key: string, handler: string, access: RouteAccess = {}): RouteSpec => ({
  id,
  route: key,
  entry: `functions/${handler}.ts`,
  ...access,
});

/** Every route of the HTTP API, one line each. */
// biome-ignore format: one line per route, as a table reads
export const ROUTES: RouteSpec[] = [
  route('Health', 'GET /v1/health', 'health/get', { public: true }),
  route('OpenApi', 'GET /v1/openapi.json', 'docs/openapi', { public: true }),
  route('GetMe', 'GET /v1/me', 'me/get', { table: 'read', userPool: ['cognito-idp:AdminGetUser'] }),
  route('UpdateMe', 'PATCH /v1/me', 'me/update', { table: 'write', userPool: ['cognito-idp:AdminGetUser'] }),
  route('ListMyOrganizations', 'GET /v1/me/organizations', 'me/list-organizations', { table: 'read' }),
  route('SwitchOrganization', 'PUT /v1/me/current-organization', 'me/switch-organization', { table: 'write', userPool: ['cognito-idp:AdminGetUser'] }),
  route('RequestRecoveryEmail', 'PUT /v1/me/recovery-email', 'me/request-recovery-email', { table: 'write', mail: true, userPool: ['cognito-idp:AdminGetUser'] }),
  route('ConfirmRecoveryEmail', 'POST /v1/recovery-email/confirmations', 'login/confirm-recovery-email', { table: 'write', public: true }),
  route('ForgotPassword', 'POST /v1/password-resets', 'login/forgot-password', { table: 'write', passwordResets: 'start', publicMail: true, public: true }),
  route('ResetPassword', 'POST /v1/password-resets/complete', 'login/reset-password', { table: 'write', userPool: ['cognito-idp:AdminSetUserPassword'], public: true }),
  route('CreateOrganization', 'POST /v1/organizations', 'organizations/create', { table: 'write', userPool: ['cognito-idp:AdminGetUser'] }),
  route('GetOrganization', 'GET /v1/organizations/{orgId}', 'organizations/get', { table: 'read', documents: ['read', LOGOS] }),
  route('StartLogoUpload', 'POST /v1/organizations/{orgId}/logo/uploads', 'organizations/start-logo-upload', { table: 'read', documents: ['readWrite', LOGOS] }),
  route('SetLogo', 'PUT /v1/organizations/{orgId}/logo', 'organizations/set-logo', { table: 'write', documents: ['readWrite', LOGOS, { list: true }] }),
  route('RemoveLogo', 'DELETE /v1/organizations/{orgId}/logo', 'organizations/remove-logo', { table: 'write', documents: ['readWrite', LOGOS] }),
  route('ListMembers', 'GET /v1/organizations/{orgId}/members', 'members/list', { table: 'read' }),
  route('ChangeRights', 'PUT /v1/organizations/{orgId}/members/{userId}/rights', 'members/update', { table: 'write' }),
  route('RemoveMember', 'DELETE /v1/organizations/{orgId}/members/{userId}', 'members/remove', { table: 'write' }),
  route('AppointLegalRepresentative', 'PUT /v1/organizations/{orgId}/legal-representative', 'members/appoint-legal-representative', { table: 'write', mail: true }),
  route('Invite', 'POST /v1/organizations/{orgId}/invitations', 'invitations/create', { table: 'write', invitations: 'start' }),
  route('ListInvitations', 'GET /v1/organizations/{orgId}/invitations', 'invitations/list', { table: 'read' }),
  route('RevokeInvitation', 'DELETE /v1/organizations/{orgId}/invitations/{invitationId}', 'invitations/revoke', { table: 'write', invitations: 'callback' }),
  route('ResendInvitation', 'POST /v1/organizations/{orgId}/invitations/{invitationId}/resend', 'invitations/resend', { table: 'write', mail: true, invitations: 'callback' }),
  route('AcceptInvitation', 'POST /v1/invitations/acceptances', 'invitations/accept', { table: 'write', invitations: 'callback', userPool: ['cognito-idp:AdminGetUser'] }),
  route('ListProducts', 'GET /v1/organizations/{orgId}/products', 'products/list', { table: 'read' }),
  route('GetProduct', 'GET /v1/organizations/{orgId}/products/{productId}', 'products/get', { table: 'read' }),
  route('ReminderStages', 'PUT /v1/organizations/{orgId}/reminder-stages', 'products/reminder-stages', { table: 'write' }),
  route('TerminateProduct', 'POST /v1/organizations/{orgId}/products/{productId}/termination', 'products/terminate', { table: 'write' }),
  route('TransferProducts', 'POST /v1/organizations/{orgId}/product-transfers', 'products/transfer', { table: 'write' }),
  route('ListTransfers', 'GET /v1/organizations/{orgId}/product-transfers', 'products/list-transfers', { table: 'read' }),
  route('AcceptTransfer', 'POST /v1/organizations/{orgId}/product-transfers/{transferId}/acceptance', 'products/accept-transfer', { table: 'write' }),
  route('QuoteOrder', 'POST /v1/orders/quote', 'orders/quote', { table: 'read' }),
  route('PlaceOrder', 'POST /v1/orders', 'orders/place', { table: 'write', userPool: ['cognito-idp:AdminGetUser'] }),
  route('ListAddresses', 'GET /v1/organizations/{orgId}/billing-addresses', 'billing/list-addresses', { table: 'read' }),
  route('AddAddress', 'POST /v1/organizations/{orgId}/billing-addresses', 'billing/add-address', { table: 'write' }),
  route('EditAddress', 'PUT /v1/organizations/{orgId}/billing-addresses/{addressId}', 'billing/edit-address', { table: 'write' }),
  route('SetDefaultAddress', 'PUT /v1/organizations/{orgId}/default-billing-address', 'billing/set-default-address', { table: 'write' }),
  route('ListCredits', 'GET /v1/organizations/{orgId}/credits', 'billing/list-credits', { table: 'read' }),
  route('Prepaid', 'GET /v1/organizations/{orgId}/prepaid', 'billing/prepaid', { table: 'read' }),
  route('Withdraw', 'POST /v1/organizations/{orgId}/prepaid/withdrawals', 'billing/withdraw', { table: 'write' }),
  route('ListAuditLog', 'GET /v1/organizations/{orgId}/audit-log', 'audit/list', { table: 'read', pages: true }),
  route('ListInvoices', 'GET /v1/organizations/{orgId}/invoices', 'invoices/list', { table: 'read', pages: true }),
  route('ExportInvoices', 'GET /v1/organizations/{orgId}/invoices/export', 'invoices/export', { table: 'read' }),
  route('GetInvoice', 'GET /v1/organizations/{orgId}/invoices/{invoiceId}', 'invoices/get', { table: 'read' }),
  route('InvoiceDocument', 'GET /v1/organizations/{orgId}/invoices/{invoiceId}/document', 'invoices/document', { table: 'read', documents: ['readWrite', [DOCUMENT_PREFIXES.invoices]], pdf: true }),
  route('ToPay', 'GET /v1/organizations/{orgId}/to-pay', 'invoices/to-pay', { table: 'read' }),
  route('CreateProForma', 'POST /v1/organizations/{orgId}/pro-formas', 'invoices/create-pro-forma', { table: 'write', documents: ['readWrite', [DOCUMENT_PREFIXES.proForma]], pdf: true }),
  route('RequestDeletion', 'POST /v1/organizations/{orgId}/deletion', 'organizations/request-deletion', { table: 'write', deletions: 'start' }),
  route('ConfirmDeletion', 'POST /v1/account-deletions/confirmations', 'organizations/confirm-deletion', { table: 'write', deletions: 'callback', public: true }),
  route('GrantCredit', 'POST /v1/staff/organizations/{orgId}/credits', 'staff/grant-credit', { table: 'write' }),
  route('CreatePromoCode', 'POST /v1/staff/promo-codes', 'staff/create-promo-code', { table: 'write' }),
  route('RecordBankPayment', 'POST /v1/staff/bank-payments', 'staff/record-bank-payment', { table: 'write' }),
];
