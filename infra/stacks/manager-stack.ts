import { Duration, Stack, type StackProps, TimeZone } from 'aws-cdk-lib';
import {
  ContextAttribute,
  Schedule,
  ScheduleExpression,
  ScheduleTargetInput,
} from 'aws-cdk-lib/aws-scheduler';
import { StepFunctionsStartExecution } from 'aws-cdk-lib/aws-scheduler-targets';
import type { Construct } from 'constructs';
import { INVITATION_VALIDITY_DAYS } from '../../functions/core/entities/invitation.ts';
import {
  accountDeletionDefinition,
  type DeletionSteps,
} from '../../workflows/account-deletion/definition.ts';
import { type InvitationSteps, invitationDefinition } from '../../workflows/invitation/definition.ts';
import {
  type ReminderSteps,
  renewalRemindersDefinition,
} from '../../workflows/renewal-reminders/definition.ts';
import type { StageConfig } from '../config/stages.ts';
import { Api, type HttpMethod } from '../constructs/api.ts';
import { DOCUMENT_PREFIXES, DocumentsBucket } from '../constructs/documents-bucket.ts';
import { Identity } from '../constructs/identity.ts';
import { Mailer } from '../constructs/mailer.ts';
import { ManagerFunction } from '../constructs/manager-function.ts';
import { ManagerTable } from '../constructs/table.ts';
import { Workflow } from '../constructs/workflow.ts';

/** Logos and the uploads that wait to become one (R6). */
const LOGOS = [DOCUMENT_PREFIXES.logos, `${DOCUMENT_PREFIXES.uploads}logos/`];

/** One API route and what its function may touch. */
interface RouteSpec {
  id: string;
  /** `METHOD /path`, as API Gateway writes a route key. */
  route: string;
  entry: string;
  table?: 'read' | 'write';
  mail?: boolean;
  /** The Cognito admin actions the route calls. */
  userPool?: string[];
  invitations?: 'start' | 'callback';
  deletions?: 'start' | 'callback';
  documents?: ['read' | 'readWrite', string[]] | ['read' | 'readWrite', string[], { list: boolean }];
  pdf?: boolean;
  public?: boolean;
}

export interface ManagerStackProps extends StackProps {
  stage: StageConfig;
}

/**
 * The whole Manager backend for one stage. The local stack (infra/local) synthesizes this very
 * stack and runs its table, routes, functions and state machines on this machine.
 */
export class ManagerStack extends Stack {
  public readonly table: ManagerTable;
  public readonly documents: DocumentsBucket;
  public readonly mailer: Mailer;
  public readonly identity: Identity;
  public readonly api: Api;
  public readonly workflows: {
    invitation: Workflow<keyof InvitationSteps>;
    renewalReminders: Workflow<keyof ReminderSteps>;
    accountDeletion: Workflow<keyof DeletionSteps>;
  };

  constructor(scope: Construct, id: string, props: ManagerStackProps) {
    super(scope, id, props);
    const { stage } = props;

    this.table = new ManagerTable(this, 'Data', { stage });
    this.documents = new DocumentsBucket(this, 'Documents', { stage });
    this.mailer = new Mailer(this, 'Mail', { stage });
    this.identity = new Identity(this, 'Identity', { stage });
    this.api = new Api(this, 'Api', { stage, identity: this.identity });

    const data = this.table.table;
    const readWrite = (fn: ManagerFunction) => fn.bindTable(data, 'readWrite');
    const mailing = (fn: ManagerFunction) => readWrite(fn).bindMailer(this.mailer);

    this.workflows = {
      invitation: new Workflow(this, 'Invitation', {
        stage,
        directory: 'invitation',
        comment: 'R9 invite acceptance',
        steps: {
          SendInvitation: { bind: mailing },
          ConfirmAcceptance: { bind: readWrite },
          MarkExpired: { bind: readWrite },
          NotifyInviter: { bind: mailing },
        },
        definition: invitationDefinition,
        // The longest an invitation may wait (its expiry) plus room for the follow-up steps.
        timeout: Duration.days(INVITATION_VALIDITY_DAYS + 1),
      }),
      renewalReminders: new Workflow(this, 'RenewalReminders', {
        stage,
        directory: 'renewal-reminders',
        comment: 'R25/R26 daily renewal reminders',
        steps: {
          // Pure: it only plans the day's shards, and may touch nothing.
          PlanRun: { bind: (fn) => fn },
          RemindShard: { bind: mailing, timeout: Duration.minutes(5) },
        },
        definition: renewalRemindersDefinition,
        timeout: Duration.hours(2),
      }),
      accountDeletion: new Workflow(this, 'AccountDeletion', {
        stage,
        directory: 'account-deletion',
        comment: 'R28 account deletion',
        steps: {
          Recheck: { bind: readWrite },
          AskConfirmation: { bind: mailing },
          RemoveAccess: { bind: readWrite },
          RemovePersonalData: {
            bind: (fn) =>
              readWrite(fn).bindBucket(this.documents.bucket, 'readWrite', [DOCUMENT_PREFIXES.logos]),
          },
          ArchiveInvoices: {
            bind: (fn) =>
              readWrite(fn).bindBucket(this.documents.bucket, 'readWrite', [DOCUMENT_PREFIXES.archive]),
          },
          Finish: { bind: mailing },
          EndDeletion: { bind: mailing },
        },
        definition: accountDeletionDefinition,
        timeout: Duration.days(8),
      }),
    };
    const invitations = this.workflows.invitation.stateMachine;

    new Schedule(this, 'DailyRenewalReminders', {
      description: 'Starts the renewal-reminder workflow once a day (R26).',
      schedule: ScheduleExpression.cron({
        hour: String(stage.reminderTime.hour),
        minute: String(stage.reminderTime.minute),
        timeZone: TimeZone.of(stage.reminderTimezone),
      }),
      target: new StepFunctionsStartExecution(this.workflows.renewalReminders.stateMachine, {
        input: ScheduleTargetInput.fromObject({ scheduledTime: ContextAttribute.scheduledTime }),
      }),
    });

    /**
     * Every route: method, path, handler file, and what its function may touch. Each binder
     * sets the env var and grants exactly that access (least privilege per route).
     */
    const routes: RouteSpec[] = [
      { id: 'Health', route: 'GET /v1/health', entry: 'functions/health/get.ts', public: true },
      { id: 'GetMe', route: 'GET /v1/me', entry: 'functions/me/get.ts', table: 'read' },
      { id: 'UpdateMe', route: 'PATCH /v1/me', entry: 'functions/me/update.ts', table: 'write' },
      {
        id: 'ListMyOrganizations',
        route: 'GET /v1/me/organizations',
        entry: 'functions/me/list-organizations.ts',
        table: 'read',
      },
      {
        id: 'SwitchOrganization',
        route: 'PUT /v1/me/current-organization',
        entry: 'functions/me/switch-organization.ts',
        table: 'write',
      },
      {
        id: 'RequestRecoveryEmail',
        route: 'PUT /v1/me/recovery-email',
        entry: 'functions/me/request-recovery-email.ts',
        table: 'write',
        mail: true,
      },
      {
        id: 'ConfirmRecoveryEmail',
        route: 'POST /v1/recovery-email/confirmations',
        entry: 'functions/login/confirm-recovery-email.ts',
        table: 'write',
        public: true,
      },
      {
        id: 'ForgotPassword',
        route: 'POST /v1/password-resets',
        entry: 'functions/login/forgot-password.ts',
        table: 'write',
        mail: true,
        userPool: ['cognito-idp:AdminGetUser'],
        public: true,
      },
      {
        id: 'ResetPassword',
        route: 'POST /v1/password-resets/complete',
        entry: 'functions/login/reset-password.ts',
        table: 'write',
        userPool: ['cognito-idp:AdminSetUserPassword'],
        public: true,
      },
      {
        id: 'CreateOrganization',
        route: 'POST /v1/organizations',
        entry: 'functions/organizations/create.ts',
        table: 'write',
      },
      {
        id: 'GetOrganization',
        route: 'GET /v1/organizations/{orgId}',
        entry: 'functions/organizations/get.ts',
        table: 'read',
        documents: ['read', LOGOS],
      },
      {
        id: 'StartLogoUpload',
        route: 'POST /v1/organizations/{orgId}/logo/uploads',
        entry: 'functions/organizations/start-logo-upload.ts',
        table: 'read',
        documents: ['readWrite', LOGOS],
      },
      {
        id: 'SetLogo',
        route: 'PUT /v1/organizations/{orgId}/logo',
        entry: 'functions/organizations/set-logo.ts',
        table: 'write',
        // ListBucket: a missing upload must be S3's 404, not its 403 (R6: "upload it first").
        documents: ['readWrite', LOGOS, { list: true }],
      },
      {
        id: 'RemoveLogo',
        route: 'DELETE /v1/organizations/{orgId}/logo',
        entry: 'functions/organizations/remove-logo.ts',
        table: 'write',
        documents: ['readWrite', LOGOS],
      },
      {
        id: 'ListMembers',
        route: 'GET /v1/organizations/{orgId}/members',
        entry: 'functions/members/list.ts',
        table: 'read',
        mail: true,
      },
      {
        id: 'ChangeRights',
        route: 'PUT /v1/organizations/{orgId}/members/{userId}/rights',
        entry: 'functions/members/update.ts',
        table: 'write',
        mail: true,
      },
      {
        id: 'RemoveMember',
        route: 'DELETE /v1/organizations/{orgId}/members/{userId}',
        entry: 'functions/members/remove.ts',
        table: 'write',
        mail: true,
      },
      {
        id: 'AppointLegalRepresentative',
        route: 'PUT /v1/organizations/{orgId}/legal-representative',
        entry: 'functions/members/appoint-legal-representative.ts',
        table: 'write',
        mail: true,
      },
      {
        id: 'Invite',
        route: 'POST /v1/organizations/{orgId}/invitations',
        entry: 'functions/invitations/create.ts',
        table: 'write',
        mail: true,
        invitations: 'start',
      },
      {
        id: 'ListInvitations',
        route: 'GET /v1/organizations/{orgId}/invitations',
        entry: 'functions/invitations/list.ts',
        table: 'read',
        mail: true,
      },
      {
        id: 'RevokeInvitation',
        route: 'DELETE /v1/organizations/{orgId}/invitations/{invitationId}',
        entry: 'functions/invitations/revoke.ts',
        table: 'write',
        mail: true,
        invitations: 'callback',
      },
      {
        id: 'ResendInvitation',
        route: 'POST /v1/organizations/{orgId}/invitations/{invitationId}/resend',
        entry: 'functions/invitations/resend.ts',
        table: 'write',
        mail: true,
        invitations: 'callback',
      },
      {
        id: 'AcceptInvitation',
        route: 'POST /v1/invitations/acceptances',
        entry: 'functions/invitations/accept.ts',
        table: 'write',
        mail: true,
        invitations: 'callback',
      },
      {
        id: 'ListProducts',
        route: 'GET /v1/organizations/{orgId}/products',
        entry: 'functions/products/list.ts',
        table: 'read',
      },
      {
        id: 'GetProduct',
        route: 'GET /v1/organizations/{orgId}/products/{productId}',
        entry: 'functions/products/get.ts',
        table: 'read',
      },
      {
        id: 'ReminderStages',
        route: 'PUT /v1/organizations/{orgId}/reminder-stages',
        entry: 'functions/products/reminder-stages.ts',
        table: 'write',
      },
      {
        id: 'TerminateProduct',
        route: 'POST /v1/organizations/{orgId}/products/{productId}/termination',
        entry: 'functions/products/terminate.ts',
        table: 'write',
      },
      {
        id: 'TransferProducts',
        route: 'POST /v1/organizations/{orgId}/product-transfers',
        entry: 'functions/products/transfer.ts',
        table: 'write',
      },
      {
        id: 'ListTransfers',
        route: 'GET /v1/organizations/{orgId}/product-transfers',
        entry: 'functions/products/list-transfers.ts',
        table: 'read',
      },
      {
        id: 'AcceptTransfer',
        route: 'POST /v1/organizations/{orgId}/product-transfers/{transferId}/acceptance',
        entry: 'functions/products/accept-transfer.ts',
        table: 'write',
      },
      { id: 'QuoteOrder', route: 'POST /v1/orders/quote', entry: 'functions/orders/quote.ts', table: 'read' },
      { id: 'PlaceOrder', route: 'POST /v1/orders', entry: 'functions/orders/place.ts', table: 'write' },
      {
        id: 'ListAddresses',
        route: 'GET /v1/organizations/{orgId}/billing-addresses',
        entry: 'functions/billing/list-addresses.ts',
        table: 'read',
      },
      {
        id: 'AddAddress',
        route: 'POST /v1/organizations/{orgId}/billing-addresses',
        entry: 'functions/billing/add-address.ts',
        table: 'write',
      },
      {
        id: 'EditAddress',
        route: 'PUT /v1/organizations/{orgId}/billing-addresses/{addressId}',
        entry: 'functions/billing/edit-address.ts',
        table: 'write',
      },
      {
        id: 'SetDefaultAddress',
        route: 'PUT /v1/organizations/{orgId}/default-billing-address',
        entry: 'functions/billing/set-default-address.ts',
        table: 'write',
      },
      {
        id: 'ListCredits',
        route: 'GET /v1/organizations/{orgId}/credits',
        entry: 'functions/billing/list-credits.ts',
        table: 'read',
      },
      {
        id: 'Prepaid',
        route: 'GET /v1/organizations/{orgId}/prepaid',
        entry: 'functions/billing/prepaid.ts',
        table: 'read',
      },
      {
        id: 'Withdraw',
        route: 'POST /v1/organizations/{orgId}/prepaid/withdrawals',
        entry: 'functions/billing/withdraw.ts',
        table: 'write',
      },
      {
        id: 'ListInvoices',
        route: 'GET /v1/organizations/{orgId}/invoices',
        entry: 'functions/invoices/list.ts',
        table: 'read',
      },
      {
        id: 'ExportInvoices',
        route: 'GET /v1/organizations/{orgId}/invoices/export',
        entry: 'functions/invoices/export.ts',
        table: 'read',
      },
      {
        id: 'GetInvoice',
        route: 'GET /v1/organizations/{orgId}/invoices/{invoiceId}',
        entry: 'functions/invoices/get.ts',
        table: 'read',
      },
      {
        id: 'InvoiceDocument',
        route: 'GET /v1/organizations/{orgId}/invoices/{invoiceId}/document',
        entry: 'functions/invoices/document.ts',
        table: 'read',
        documents: ['readWrite', [DOCUMENT_PREFIXES.invoices]],
        pdf: true,
      },
      {
        id: 'ToPay',
        route: 'GET /v1/organizations/{orgId}/to-pay',
        entry: 'functions/invoices/to-pay.ts',
        table: 'read',
      },
      {
        id: 'CreateProForma',
        route: 'POST /v1/organizations/{orgId}/pro-formas',
        entry: 'functions/invoices/create-pro-forma.ts',
        table: 'write',
        documents: ['readWrite', [DOCUMENT_PREFIXES.proForma]],
        pdf: true,
      },
      {
        id: 'RequestDeletion',
        route: 'POST /v1/organizations/{orgId}/deletion',
        entry: 'functions/organizations/request-deletion.ts',
        table: 'write',
        deletions: 'start',
      },
      {
        id: 'ConfirmDeletion',
        route: 'POST /v1/account-deletions/confirmations',
        entry: 'functions/organizations/confirm-deletion.ts',
        table: 'write',
        deletions: 'callback',
        public: true,
      },
      {
        id: 'GrantCredit',
        route: 'POST /v1/staff/organizations/{orgId}/credits',
        entry: 'functions/staff/grant-credit.ts',
        table: 'write',
      },
      {
        id: 'CreatePromoCode',
        route: 'POST /v1/staff/promo-codes',
        entry: 'functions/staff/create-promo-code.ts',
        table: 'write',
      },
      {
        id: 'RecordBankPayment',
        route: 'POST /v1/staff/bank-payments',
        entry: 'functions/staff/record-bank-payment.ts',
        table: 'write',
      },
    ];
    for (const spec of routes) {
      const [method, path] = spec.route.split(' ') as [HttpMethod, string];
      const handler = new ManagerFunction(this, spec.id, {
        stage,
        entry: spec.entry,
        // pdfkit reads its font files next to its module: installed, not bundled.
        ...(spec.pdf ? { nodeModules: ['pdfkit'], memorySize: 1536, timeout: Duration.seconds(20) } : {}),
      });
      if (spec.table) handler.bindTable(data, spec.table === 'write' ? 'readWrite' : 'read');
      if (spec.mail) handler.bindMailer(this.mailer);
      if (spec.userPool) handler.bindUserPool(this.identity.userPool, spec.userPool);
      if (spec.invitations) handler.bindWorkflow('INVITATION_WORKFLOW_ARN', invitations, spec.invitations);
      if (spec.deletions) {
        handler.bindWorkflow(
          'ACCOUNT_DELETION_WORKFLOW_ARN',
          this.workflows.accountDeletion.stateMachine,
          spec.deletions,
        );
      }
      if (spec.documents) {
        const [access, prefixes, options] = spec.documents;
        handler.bindBucket(this.documents.bucket, access, prefixes, options);
      }
      this.api.addRoute({ method, path, function: handler, public: spec.public ?? false });
    }
  }
}
