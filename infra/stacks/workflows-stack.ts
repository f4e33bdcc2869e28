import { Duration, Stack, TimeZone, Validations } from 'aws-cdk-lib';
import {
  ContextAttribute,
  Schedule,
  ScheduleExpression,
  ScheduleTargetInput,
} from 'aws-cdk-lib/aws-scheduler';
import { StepFunctionsStartExecution } from 'aws-cdk-lib/aws-scheduler-targets';
import { LambdaSubscription } from 'aws-cdk-lib/aws-sns-subscriptions';
import { type IQueue, Queue, QueueEncryption } from 'aws-cdk-lib/aws-sqs';
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
import { DOCUMENT_PREFIXES } from '../constructs/documents-bucket.ts';
import { ManagerFunction } from '../constructs/manager-function.ts';
import { Workflow } from '../constructs/workflow.ts';
import type { DataStack, ManagerStackProps } from './data-stack.ts';

export interface WorkflowsStackProps extends ManagerStackProps {
  data: DataStack;
}

/**
 * The four state machines with their task functions, the schedule that starts the daily
 * reminder run, and the function that records SES bounces and complaints.
 */
export class WorkflowsStack extends Stack {
  public readonly invitation: Workflow<keyof InvitationSteps>;
  public readonly renewalReminders: Workflow<keyof ReminderSteps>;
  public readonly accountDeletion: Workflow<keyof DeletionSteps>;
  public readonly passwordReset: Workflow<keyof PasswordResetSteps>;
  /** Where a schedule's start that failed all its retries ends up (the reminder run's DLQ). */
  public readonly schedulerDeadLetters: IQueue;

  constructor(scope: Construct, id: string, props: WorkflowsStackProps) {
    super(scope, id, props);
    const { stage, data } = props;
    const table = data.table.table;
    const documents = data.documents.bucket;
    const readWrite = (fn: ManagerFunction) => fn.bindTable(table, 'readWrite');
    const mailing = (fn: ManagerFunction) => readWrite(fn).bindMailer(data.mailer);

    this.invitation = new Workflow(this, 'Invitation', {
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
    });
    this.renewalReminders = new Workflow(this, 'RenewalReminders', {
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
    });
    this.accountDeletion = new Workflow(this, 'AccountDeletion', {
      stage,
      directory: 'account-deletion',
      comment: 'R28 account deletion',
      steps: {
        Recheck: { bind: readWrite },
        AskConfirmation: { bind: mailing },
        // Deletion removes an account's items in bulk (BatchWriteItem), nothing else does.
        RemoveAccess: { bind: (fn) => fn.bindTable(table, 'readWriteBatch') },
        RemovePersonalData: {
          bind: (fn) =>
            fn
              .bindTable(table, 'readWriteBatch')
              .bindBucket(documents, 'readWrite', [DOCUMENT_PREFIXES.logos]),
        },
        ArchiveInvoices: {
          bind: (fn) => readWrite(fn).bindBucket(documents, 'readWrite', [DOCUMENT_PREFIXES.archive]),
        },
        Finish: { bind: mailing },
        EndDeletion: { bind: mailing },
      },
      definition: accountDeletionDefinition,
      timeout: Duration.days(8),
    });
    this.passwordReset = new Workflow(this, 'PasswordReset', {
      stage,
      directory: 'password-reset',
      comment: 'R2 password reset e-mail, after the answer',
      steps: {
        SendPasswordReset: {
          bind: (fn) => mailing(fn).bindUserPool(data.identity.userPool, ['cognito-idp:AdminGetUser']),
        },
      },
      definition: passwordResetDefinition,
      timeout: Duration.minutes(15),
    });

    this.schedulerDeadLetters = new Queue(this, 'SchedulerDeadLetters', {
      encryption: QueueEncryption.SQS_MANAGED,
      enforceSSL: true,
      retentionPeriod: Duration.days(14),
    });
    Validations.of(this.schedulerDeadLetters).acknowledge({
      id: 'AwsSolutions-SQS3',
      reason: 'This queue is the dead-letter queue of the daily reminder schedule.',
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
      target: new StepFunctionsStartExecution(this.renewalReminders.stateMachine, {
        input: ScheduleTargetInput.fromObject({ scheduledTime: ContextAttribute.scheduledTime }),
        deadLetterQueue: this.schedulerDeadLetters,
        retryAttempts: 5,
        maxEventAge: Duration.hours(2),
      }),
    });

    // Bounces and complaints suppress their addresses: no e-mail goes there any more (issue 15).
    const mailEvents = new ManagerFunction(this, 'MailEvents', {
      stage,
      entry: 'functions/mail-events/record.ts',
    }).bindTable(table, 'readWrite');
    data.mailer.events.addSubscription(new LambdaSubscription(mailEvents.fn));
  }

  /** The state machines by the name their alarms and notices use. */
  get stateMachines() {
    return {
      Invitation: this.invitation.stateMachine,
      RenewalReminders: this.renewalReminders.stateMachine,
      AccountDeletion: this.accountDeletion.stateMachine,
      PasswordReset: this.passwordReset.stateMachine,
    };
  }
}
