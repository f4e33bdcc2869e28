import { Duration, RemovalPolicy, Stack, type StackProps, TimeZone, Validations } from 'aws-cdk-lib';
import {
  ContextAttribute,
  Schedule,
  ScheduleExpression,
  ScheduleTargetInput,
} from 'aws-cdk-lib/aws-scheduler';
import { StepFunctionsStartExecution } from 'aws-cdk-lib/aws-scheduler-targets';
import { Secret } from 'aws-cdk-lib/aws-secretsmanager';
import { LambdaSubscription } from 'aws-cdk-lib/aws-sns-subscriptions';
import type { Construct } from 'constructs';
import { INVITATION_VALIDITY_DAYS } from '../../functions/core/entities/invitation.ts';
import {
  accountDeletionDefinition,
  type DeletionSteps,
} from '../../workflows/account-deletion/definition.ts';
import { type InvitationSteps, invitationDefinition } from '../../workflows/invitation/definition.ts';
import {
  type PasswordResetSteps,
  passwordResetDefinition,
} from '../../workflows/password-reset/definition.ts';
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
import { Operations } from '../constructs/operations.ts';
import { ManagerTable } from '../constructs/table.ts';
import { Workflow } from '../constructs/workflow.ts';
import { ROUTES } from './routes.ts';

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
  public readonly operations: Operations;
  public readonly workflows: {
    invitation: Workflow<keyof InvitationSteps>;
    renewalReminders: Workflow<keyof ReminderSteps>;
    accountDeletion: Workflow<keyof DeletionSteps>;
    passwordReset: Workflow<keyof PasswordResetSteps>;
  };

  constructor(scope: Construct, id: string, props: ManagerStackProps) {
    super(scope, id, props);
    const { stage } = props;

    this.table = new ManagerTable(this, 'Data', { stage });
    this.documents = new DocumentsBucket(this, 'Documents', { stage });
    this.mailer = new Mailer(this, 'Mail', { stage });
    this.identity = new Identity(this, 'Identity', { stage, mailer: this.mailer });
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
          AdvanceLifecycle: { bind: readWrite, timeout: Duration.minutes(5) },
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
          // Deletion removes an account's items in bulk (BatchWriteItem), nothing else does.
          RemoveAccess: { bind: (fn) => fn.bindTable(data, 'readWriteBatch') },
          RemovePersonalData: {
            bind: (fn) =>
              fn
                .bindTable(data, 'readWriteBatch')
                .bindBucket(this.documents.bucket, 'readWrite', [DOCUMENT_PREFIXES.logos]),
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
      passwordReset: new Workflow(this, 'PasswordReset', {
        stage,
        directory: 'password-reset',
        comment: 'R2 password reset e-mail, after the answer',
        steps: {
          SendPasswordReset: {
            bind: (fn) => mailing(fn).bindUserPool(this.identity.userPool, ['cognito-idp:AdminGetUser']),
          },
        },
        definition: passwordResetDefinition,
        timeout: Duration.minutes(15),
      }),
    };
    const invitations = this.workflows.invitation.stateMachine;

    this.operations = new Operations(this, 'Operations', {
      stage,
      api: this.api.httpApi,
      table: data,
      workflows: {
        Invitation: invitations,
        RenewalReminders: this.workflows.renewalReminders.stateMachine,
        AccountDeletion: this.workflows.accountDeletion.stateMachine,
        PasswordReset: this.workflows.passwordReset.stateMachine,
      },
    });

    new Schedule(this, 'DailyRenewalReminders', {
      description: 'Starts the renewal-reminder workflow once a day (R26).',
      schedule: ScheduleExpression.cron({
        hour: String(stage.reminderTime.hour),
        minute: String(stage.reminderTime.minute),
        timeZone: TimeZone.of(stage.reminderTimezone),
      }),
      // A start that fails is retried for up to two hours, then kept in the dead-letter queue
      // (an alarm watches it; docs/operations.md says how to replay the day).
      target: new StepFunctionsStartExecution(this.workflows.renewalReminders.stateMachine, {
        input: ScheduleTargetInput.fromObject({ scheduledTime: ContextAttribute.scheduledTime }),
        deadLetterQueue: this.operations.schedulerDeadLetters,
        retryAttempts: 5,
        maxEventAge: Duration.hours(2),
      }),
    });

    // Bounces and complaints suppress their addresses: no e-mail goes there any more (issue 15).
    const mailEvents = new ManagerFunction(this, 'MailEvents', {
      stage,
      entry: 'functions/mail-events/record.ts',
    }).bindTable(data, 'readWrite');
    this.mailer.events.addSubscription(new LambdaSubscription(mailEvents.fn));

    // Signs the page cursors the API hands out, so that a cursor cannot be forged (issue 13).
    const cursorKey = new Secret(this, 'CursorKey', {
      description: 'Signs the API page cursors (HMAC-SHA256).',
      generateSecretString: { passwordLength: 64, excludePunctuation: true },
      removalPolicy: RemovalPolicy.DESTROY,
    });
    Validations.of(cursorKey).acknowledge({
      id: 'AwsSolutions::AwsSolutions-SMG4',
      reason:
        'Rotating the key only invalidates the page cursors in flight (a client reads the list again); ' +
        'it can be replaced by a deployment, no rotation function needed.',
    });

    for (const spec of ROUTES) {
      const [method, path] = spec.route.split(' ') as [HttpMethod, string];
      const handler = new ManagerFunction(this, spec.id, {
        stage,
        entry: spec.entry,
        // pdfkit reads its font files next to its module: installed, not bundled.
        ...(spec.pdf ? { nodeModules: ['pdfkit'], memorySize: 1536, timeout: Duration.seconds(20) } : {}),
      });
      if (spec.table) handler.bindTable(data, spec.table === 'write' ? 'readWrite' : 'read');
      if (spec.mail) handler.bindMailer(this.mailer);
      if (spec.pages) handler.bindCursorKey(cursorKey);
      if (spec.userPool) handler.bindUserPool(this.identity.userPool, spec.userPool);
      if (spec.invitations) handler.bindWorkflow('INVITATION_WORKFLOW_ARN', invitations, spec.invitations);
      if (spec.passwordResets) {
        handler.bindWorkflow(
          'PASSWORD_RESET_WORKFLOW_ARN',
          this.workflows.passwordReset.stateMachine,
          spec.passwordResets,
        );
      }
      if (spec.publicMail)
        handler.bindLimit('RESETS_PER_CLIENT_PER_MINUTE', stage.publicMail.resetsPerClientPerMinute);
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
      this.api.addRoute({
        method,
        path,
        function: handler,
        public: spec.public ?? false,
        sendsMailPublicly: spec.publicMail ?? false,
      });
    }
  }
}
