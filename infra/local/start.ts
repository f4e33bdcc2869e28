import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { PROJECT_ROOT } from '../constructs/manager-function.ts';
import { ensureLogin } from './identity.ts';
import { reportLine } from './lambdas.ts';
import { startReference } from './reference.ts';
import { stackInfo, startLocalStack } from './stack.ts';

/**
 * `npm start`: the whole Manager backend on this machine, data kept in `.local/` between
 * runs (`npm start -- --fresh` starts empty). Ctrl-C stops every component.
 */
const DEMO = { email: 'demo@manager.local', password: 'Demo-Passw0rd!' };
/** The provider's support and accounting, for the staff routes (Cognito group `staff`). */
const STAFF = { email: 'staff@manager.local', password: 'Staff-Passw0rd!' };

const started = Date.now();
const dataDir = join(PROJECT_ROOT, '.local');
if (process.argv.includes('--fresh')) {
  const { rmSync } = await import('node:fs');
  rmSync(dataDir, { recursive: true, force: true });
}
mkdirSync(dataDir, { recursive: true });

const stack = await startLocalStack({
  dataDir,
  ports: { api: 3000, aws: 4566, dynamodb: 8000, mailbox: 8005, cognito: 9229, control: 8099 },
  logLevel: process.env.LOG_LEVEL ?? 'INFO',
  // Lambda's REPORT line for every invocation; the first one of an environment shows its cold start.
  onReport: (report) => process.stdout.write(`[${report.functionName}] ${reportLine(report)}\n`),
});
const demo = await ensureLogin(
  { endpoint: stack.endpoints.cognito, userPoolId: stack.userPoolId, clientId: stack.userPoolClientId },
  DEMO.email,
  DEMO.password,
  { given_name: 'Demo', family_name: 'User', locale: 'en' },
);
const staff = await ensureLogin(
  { endpoint: stack.endpoints.cognito, userPoolId: stack.userPoolId, clientId: stack.userPoolClientId },
  STAFF.email,
  STAFF.password,
  { given_name: 'Staff', family_name: 'Member', locale: 'en' },
  ['staff'],
);
writeFileSync(join(dataDir, 'demo-token'), demo.idToken);
writeFileSync(join(dataDir, 'staff-token'), staff.idToken);
const reference = await startReference(stack.apiUrl, 8098);
// Where the running stack is, for helper commands (npm run reminders).
writeFileSync(join(dataDir, 'endpoints.json'), JSON.stringify(stackInfo(stack), null, 2));

const seconds = ((Date.now() - started) / 1000).toFixed(1);
const lines = [
  `Manager backend running locally (ready in ${seconds} s)`,
  `  API              ${stack.apiUrl}   try: curl ${stack.apiUrl}/v1/health`,
  `  API reference    ${reference.url}   every route, its parameters, bodies and answers (docs/openapi.json)`,
  `  Mailbox          ${stack.mailboxUrl}   every e-mail the system sends`,
  `  Demo user        ${DEMO.email} / ${DEMO.password}   ID token in .local/demo-token`,
  `                   curl -H "Authorization: Bearer $(cat .local/demo-token)" ${stack.apiUrl}/v1/me`,
  `  Staff user       ${STAFF.email} / ${STAFF.password}   ID token in .local/staff-token (group staff)`,
  `  Cognito (local)  ${stack.endpoints.cognito}   user pool ${stack.userPoolId}, client ${stack.userPoolClientId}`,
  `  AWS endpoint     ${stack.endpoints.aws}   S3, SES, Step Functions, DynamoDB: signatures and IAM checked`,
  `                   bucket ${stack.documentsBucket}; ${Object.keys(stack.stateMachines).join(', ')}`,
  `  DynamoDB Local   ${stack.endpoints.dynamodb}   table ${stack.tableName}`,
  `  Functions        ${stack.described.functions.size}, each in its own execution environment (REPORT lines below)`,
  '  Reminders        npm run reminders -- 2026-12-01   runs the daily renewal reminders for a day',
  'Data is kept in .local/ (npm start -- --fresh to start empty). Press Ctrl-C to stop.',
];
process.stdout.write(`${lines.join('\n')}\n`);

let stopping = false;
const shutdown = async (signal: string) => {
  if (stopping) return;
  stopping = true;
  process.stdout.write(`\n${signal}: stopping the local stack…\n`);
  await reference.stop();
  await stack.stop();
  process.stdout.write('Stopped.\n');
  process.exit(0);
};
process.on('SIGINT', () => void shutdown('SIGINT'));
process.on('SIGTERM', () => void shutdown('SIGTERM'));
