import { Duration, Stack, type StackProps, TimeZone } from 'aws-cdk-lib';
import {
  ContextAttribute,
  Schedule,
  ScheduleExpression,
  ScheduleTargetInput,
} from 'aws-cdk-lib/aws-scheduler';
import { StepFunctionsStartExecution } from 'aws-cdk-lib/aws-scheduler-targets';
import type { Construct } from 'constructs';
import { accountDeletionDefinition } from '../../workflows/account-deletion/definition.ts';
import { invitationDefinition } from '../../workflows/invitation/definition.ts';
import { renewalRemindersDefinition } from '../../workflows/renewal-reminders/definition.ts';
import type { StageConfig } from '../config/stages.ts';
import { Api, HttpMethod } from '../constructs/api.ts';
import { DocumentsBucket } from '../constructs/documents-bucket.ts';
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

    this.workflows = {
      invitation: new Workflow(this, 'Invitation', {
        stage,
        comment: 'R9 invite acceptance',
        definition: invitationDefinition,
        // The longest an invitation may wait (its expiry) plus room for the follow-up steps.
        timeout: Duration.days(31),
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

    const fn = (id: string, entry: string) => new ManagerFunction(this, id, { stage, entry });
    this.api.addRoute({
      method: HttpMethod.GET,
      path: '/v1/health',
      function: fn('Health', 'functions/health/get.ts'),
      public: true,
    });
    this.api.addRoute({
      method: HttpMethod.GET,
      path: '/v1/me',
      function: fn('GetMe', 'functions/me/get.ts').bindTable(this.table.table, 'read'),
    });
    this.api.addRoute({
      method: HttpMethod.PATCH,
      path: '/v1/me',
      function: fn('UpdateMe', 'functions/me/update.ts').bindTable(this.table.table, 'readWrite'),
    });
  }
}
