import { type IGrantable, PolicyStatement, ServicePrincipal } from 'aws-cdk-lib/aws-iam';
import { Key } from 'aws-cdk-lib/aws-kms';
import {
  ConfigurationSet,
  EmailIdentity,
  EmailSendingEvent,
  EventDestination,
  Identity,
} from 'aws-cdk-lib/aws-ses';
import { Topic } from 'aws-cdk-lib/aws-sns';
import { Construct } from 'constructs';
import type { StageConfig } from '../config/stages.ts';

export interface MailerProps {
  stage: StageConfig;
}

/**
 * The SES domain identity every e-mail is sent from, with its configuration set, whose bounces
 * and complaints go to the mail-events topic (a function records the addresses to suppress).
 */
export class Mailer extends Construct {
  public readonly identity: EmailIdentity;
  public readonly configurationSet: ConfigurationSet;
  public readonly from: string;
  /** SES's bounce and complaint events of the configuration set (issue 15). */
  public readonly events: Topic;

  constructor(scope: Construct, id: string, props: MailerProps) {
    super(scope, id);
    this.from = props.stage.mailFrom;
    this.configurationSet = new ConfigurationSet(this, 'ConfigurationSet', {
      reputationMetrics: true,
      sendingEnabled: true,
    });
    // SES publishes to an encrypted topic only with a key it may use.
    const key = new Key(this, 'EventsKey', {
      description: `Encrypts the ${props.stage.name} mail-events topic`,
      enableKeyRotation: true,
      removalPolicy: props.stage.removalPolicy,
    });
    key.grant(new ServicePrincipal('ses.amazonaws.com'), 'kms:Decrypt', 'kms:GenerateDataKey*');
    this.events = new Topic(this, 'Events', {
      displayName: `Manager ${props.stage.name} mail events`,
      masterKey: key,
      enforceSSL: true,
    });
    this.configurationSet.addEventDestination('BouncesAndComplaints', {
      destination: EventDestination.snsTopic(this.events),
      events: [EmailSendingEvent.BOUNCE, EmailSendingEvent.COMPLAINT],
    });
    this.identity = new EmailIdentity(this, 'Identity', {
      identity: Identity.domain(props.stage.mailDomain),
      configurationSet: this.configurationSet,
    });
  }

  grantSend(grantee: IGrantable): void {
    const { stack } = this.identity;
    grantee.grantPrincipal.addToPrincipalPolicy(
      new PolicyStatement({
        actions: ['ses:SendEmail'],
        resources: [
          stack.formatArn({
            service: 'ses',
            resource: 'identity',
            resourceName: this.identity.emailIdentityName,
          }),
          stack.formatArn({
            service: 'ses',
            resource: 'configuration-set',
            resourceName: this.configurationSet.configurationSetName,
          }),
        ],
      }),
    );
  }
}
