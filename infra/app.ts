import { createManagerApp } from './manager-app.ts';

/** Entry point of the CDK CLI: `npx cdk synth|deploy -c stage=dev|staging|prod`. */
createManagerApp();
