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
import { accountDeletionDefinition } from '../../workflows/account-deletion/definition.ts';
import { invitationDefinition } from '../../workflows/invitation/definition.ts';
import { renewalRemindersDefinition } from '../../workflows/renewal-reminders/definition.ts';
import type { StageConfig } from '../config/stages.ts';
import { Api, HttpMethod } from '../constructs/api.ts';
import { DOCUMENT_PREFIXES, DocumentsBucket } from '../constructs/documents-bucket.ts';
import { Identity } from '../constructs/identity.ts';
import { Mailer } from '../constructs/mailer.ts';
import { ManagerFunction } from '../constructs/manager-function.ts';
import { ManagerTable } from '../constructs/table.ts';
import { Workflow } from '../constructs/workflow.ts';

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
  public readonly workflows: Record<'invitation' | 'renewalReminders' | 'accountDeletion', Workflow>;

  constructor(scope: Construct, id: string, props: ManagerStackProps) {
    super(scope, id, props);
    const { stage } = props;

    this.table = new ManagerTable(this, 'Data', { stage });
    this.documents = new DocumentsBucket(this, 'Documents', { stage });
    this.mailer = new Mailer(this, 'Mail', { stage });
    this.identity = new Identity(this, 'Identity', { stage });
    this.api = new Api(this, 'Api', { stage, identity: this.identity });

    const fn = (id: string, entry: string, handler?: string) =>
      new ManagerFunction(this, id, { stage, entry, ...(handler ? { handler } : {}) });
    const data = this.table.table;

    const steps = 'workflows/invitation/steps.ts';
    const invitationSteps = {
      send: fn('InvitationSend', steps, 'send').bindTable(data, 'readWrite').bindMailer(this.mailer).fn,
      confirm: fn('InvitationConfirm', steps, 'confirm').bindTable(data, 'readWrite').bindMailer(this.mailer)
        .fn,
      expire: fn('InvitationExpire', steps, 'expire').bindTable(data, 'readWrite').bindMailer(this.mailer).fn,
      notify: fn('InvitationNotify', steps, 'notify').bindTable(data, 'readWrite').bindMailer(this.mailer).fn,
    };
    this.workflows = {
      invitation: new Workflow(this, 'Invitation', {
        stage,
        comment: 'R9 invite acceptance',
        definition: (scope) => invitationDefinition(scope, invitationSteps),
        invokes: Object.values(invitationSteps),
        // The longest an invitation may wait (its expiry) plus room for the follow-up steps.
        timeout: Duration.days(INVITATION_VALIDITY_DAYS + 1),
      }),
      renewalReminders: new Workflow(this, 'RenewalReminders', {
        stage,
        comment: 'R25/R26 daily renewal reminders',
        definition: renewalRemindersDefinition,
        timeout: Duration.hours(2),
      }),
      accountDeletion: new Workflow(this, 'AccountDeletion', {
        stage,
        comment: 'R28 account deletion',
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
    const { GET, POST, PUT, PATCH, DELETE } = HttpMethod;
    type Access =
      | 'read'
      | 'write'
      | 'mail'
      | 'startInvitation'
      | 'resumeInvitation'
      | 'userPool'
      | 'readLogos'
      | 'writeLogos';
    const routes: [string, HttpMethod, string, string, Access[], 'public'?][] = [
      ['Health', GET, '/v1/health', 'functions/health/get.ts', [], 'public'],
      ['GetMe', GET, '/v1/me', 'functions/me/get.ts', ['read']],
      ['UpdateMe', PATCH, '/v1/me', 'functions/me/update.ts', ['write']],
      ['ListMyOrganizations', GET, '/v1/me/organizations', 'functions/me/list-organizations.ts', ['read']],
      [
        'SwitchOrganization',
        PUT,
        '/v1/me/current-organization',
        'functions/me/switch-organization.ts',
        ['write'],
      ],
      [
        'RequestRecoveryEmail',
        PUT,
        '/v1/me/recovery-email',
        'functions/me/request-recovery-email.ts',
        ['write', 'mail', 'userPool'],
      ],
      [
        'ConfirmRecoveryEmail',
        POST,
        '/v1/recovery-email/confirmations',
        'functions/login/confirm-recovery-email.ts',
        ['write', 'mail', 'userPool'],
        'public',
      ],
      [
        'ForgotPassword',
        POST,
        '/v1/password-resets',
        'functions/login/forgot-password.ts',
        ['write', 'mail', 'userPool'],
        'public',
      ],
      [
        'ResetPassword',
        POST,
        '/v1/password-resets/complete',
        'functions/login/reset-password.ts',
        ['write', 'mail', 'userPool'],
        'public',
      ],
      ['CreateOrganization', POST, '/v1/organizations', 'functions/organizations/create.ts', ['write']],
      [
        'GetOrganization',
        GET,
        '/v1/organizations/{orgId}',
        'functions/organizations/get.ts',
        ['read', 'readLogos'],
      ],
      [
        'StartLogoUpload',
        POST,
        '/v1/organizations/{orgId}/logo/uploads',
        'functions/organizations/start-logo-upload.ts',
        ['read', 'writeLogos'],
      ],
      [
        'SetLogo',
        PUT,
        '/v1/organizations/{orgId}/logo',
        'functions/organizations/set-logo.ts',
        ['write', 'writeLogos'],
      ],
      [
        'RemoveLogo',
        DELETE,
        '/v1/organizations/{orgId}/logo',
        'functions/organizations/remove-logo.ts',
        ['write', 'writeLogos'],
      ],
      [
        'ListMembers',
        GET,
        '/v1/organizations/{orgId}/members',
        'functions/members/list.ts',
        ['read', 'mail'],
      ],
      [
        'ChangeRights',
        PUT,
        '/v1/organizations/{orgId}/members/{userId}/rights',
        'functions/members/update.ts',
        ['write', 'mail'],
      ],
      [
        'RemoveMember',
        DELETE,
        '/v1/organizations/{orgId}/members/{userId}',
        'functions/members/remove.ts',
        ['write', 'mail'],
      ],
      [
        'AppointLegalRepresentative',
        PUT,
        '/v1/organizations/{orgId}/legal-representative',
        'functions/members/appoint-legal-representative.ts',
        ['write', 'mail'],
      ],
      [
        'Invite',
        POST,
        '/v1/organizations/{orgId}/invitations',
        'functions/invitations/create.ts',
        ['write', 'mail', 'startInvitation'],
      ],
      [
        'ListInvitations',
        GET,
        '/v1/organizations/{orgId}/invitations',
        'functions/invitations/list.ts',
        ['read', 'mail'],
      ],
      [
        'RevokeInvitation',
        DELETE,
        '/v1/organizations/{orgId}/invitations/{invitationId}',
        'functions/invitations/revoke.ts',
        ['write', 'mail', 'resumeInvitation'],
      ],
      [
        'ResendInvitation',
        POST,
        '/v1/organizations/{orgId}/invitations/{invitationId}/resend',
        'functions/invitations/resend.ts',
        ['write', 'mail', 'resumeInvitation'],
      ],
      [
        'AcceptInvitation',
        POST,
        '/v1/invitations/acceptances',
        'functions/invitations/accept.ts',
        ['write', 'mail', 'resumeInvitation'],
      ],
    ];
    for (const [id, method, path, entry, access, visibility] of routes) {
      const handler = fn(id, entry);
      if (access.includes('write')) handler.bindTable(data, 'readWrite');
      else if (access.includes('read')) handler.bindTable(data, 'read');
      if (access.includes('mail')) handler.bindMailer(this.mailer);
      if (access.includes('readLogos') || access.includes('writeLogos')) {
        // Presigning an upload needs the right to put the object, so writers sign uploads.
        handler.bindBucket(this.documents.bucket, access.includes('writeLogos') ? 'readWrite' : 'read', [
          DOCUMENT_PREFIXES.logos,
          `${DOCUMENT_PREFIXES.uploads}logos/`,
        ]);
      }
      if (access.includes('userPool')) handler.bindUserPool(this.identity.userPool);
      if (access.includes('startInvitation'))
        handler.bindWorkflow('INVITATION_WORKFLOW_ARN', invitations, 'start');
      if (access.includes('resumeInvitation'))
        handler.bindWorkflow('INVITATION_WORKFLOW_ARN', invitations, 'callback');
      this.api.addRoute({ method, path, function: handler, public: visibility === 'public' });
    }
  }
}
