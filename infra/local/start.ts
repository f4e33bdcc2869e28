import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { PROJECT_ROOT } from '../constructs/manager-function.ts';
import { ensureLogin } from './identity.ts';
import { stackInfo, startLocalStack } from './stack.ts';

/**
 * `npm start`: the whole Manager backend on this machine, data kept in `.local/` between
 * runs (`npm start -- --fresh` starts empty). Ctrl-C stops every component.
 */
const DEMO = { email: 'demo@manager.local', password: 'Demo-Passw0rd!' };

const started = Date.now();
const dataDir = join(PROJECT_ROOT, '.local');
if (process.argv.includes('--fresh')) {
  const { rmSync } = await import('node:fs');
  rmSync(dataDir, { recursive: true, force: true });
}
mkdirSync(dataDir, { recursive: true });

const stack = await startLocalStack({
  dataDir,
  ports: { api: 3000, dynamodb: 8000, ses: 8005, s3: 4569, cognito: 9229, sfn: 8083 },
  logLevel: process.env.LOG_LEVEL ?? 'INFO',
});
const demo = await ensureLogin(
  { endpoint: stack.endpoints.cognito, userPoolId: stack.userPoolId, clientId: stack.userPoolClientId },
  DEMO.email,
  DEMO.password,
  { given_name: 'Demo', family_name: 'User', locale: 'en' },
);
const tokenFile = join(dataDir, 'demo-token');
writeFileSync(tokenFile, demo.idToken);
// Where the running stack is, for helper commands (npm run reminders).
writeFileSync(join(dataDir, 'endpoints.json'), JSON.stringify(stackInfo(stack), null, 2));

const seconds = ((Date.now() - started) / 1000).toFixed(1);
const lines = [
  `Manager backend running locally (ready in ${seconds} s)`,
  `  API              ${stack.apiUrl}   try: curl ${stack.apiUrl}/v1/health`,
  `  Mailbox          ${stack.mailboxUrl}   every e-mail the system sends`,
  `  Demo user        ${DEMO.email} / ${DEMO.password}   ID token in .local/demo-token`,
  `                   curl -H "Authorization: Bearer $(cat .local/demo-token)" ${stack.apiUrl}/v1/me`,
  `  Cognito (local)  ${stack.endpoints.cognito}   user pool ${stack.userPoolId}, client ${stack.userPoolClientId}`,
  `  DynamoDB Local   ${stack.endpoints.dynamodb}   table ${stack.tableName}`,
  `  S3 (s3rver)      ${stack.endpoints.s3}   bucket ${stack.documentsBucket}`,
  `  Step Functions   ${stack.endpoints.sfn}   ${Object.keys(stack.stateMachines).join(', ')}`,
  '  Reminders        npm run reminders -- 2026-12-01   runs the daily renewal reminders for a day',
  'Data is kept in .local/ (npm start -- --fresh to start empty). Press Ctrl-C to stop.',
];
process.stdout.write(`${lines.join('\n')}\n`);

let stopping = false;
const shutdown = async (signal: string) => {
  if (stopping) return;
  stopping = true;
  process.stdout.write(`\n${signal}: stopping the local stack…\n`);
  await stack.stop();
  process.stdout.write('Stopped.\n');
  process.exit(0);
};
process.on('SIGINT', () => void shutdown('SIGINT'));
process.on('SIGTERM', () => void shutdown('SIGTERM'));
