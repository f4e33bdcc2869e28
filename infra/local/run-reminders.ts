import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { DescribeExecutionCommand, SFNClient, StartExecutionCommand } from '@aws-sdk/client-sfn';
import { PROJECT_ROOT } from '../constructs/manager-function.ts';
import type { LocalStackInfo } from './stack.ts';

/**
 * `npm run reminders -- [YYYY-MM-DD]`: runs the renewal-reminder workflow of the running
 * `npm start` for a day (today by default), as the daily schedule does in AWS, and prints what
 * it did. The e-mails appear on the mailbox page.
 */
const day = process.argv[2];
if (day !== undefined && !/^\d{4}-\d{2}-\d{2}$/.test(day)) {
  process.stderr.write('Usage: npm run reminders -- [YYYY-MM-DD]\n');
  process.exit(2);
}
let info: LocalStackInfo;
try {
  info = JSON.parse(readFileSync(join(PROJECT_ROOT, '.local', 'endpoints.json'), 'utf8')) as LocalStackInfo;
} catch {
  process.stderr.write('Start the local stack first: npm start\n');
  process.exit(1);
}
// The local AWS endpoint, with the account administrator's key (the schedule's role in AWS).
const sfn = new SFNClient({
  endpoint: info.endpoints.aws,
  region: info.region,
  credentials: info.adminCredentials,
});
const { executionArn } = await sfn.send(
  new StartExecutionCommand({
    stateMachineArn: info.stateMachines.RenewalReminders,
    input: JSON.stringify(day ? { day } : {}),
  }),
);
for (;;) {
  const execution = await sfn.send(new DescribeExecutionCommand({ executionArn }));
  if (execution.status !== 'RUNNING') {
    const output = execution.output
      ? (JSON.parse(execution.output) as { shards?: { due: number; emails: number }[] })
      : {};
    const due = (output.shards ?? []).reduce((n, s) => n + s.due, 0);
    const emails = (output.shards ?? []).reduce((n, s) => n + s.emails, 0);
    process.stdout.write(
      `${execution.status}: ${due} products due, ${emails} e-mails sent. Mailbox: ${info.mailboxUrl}\n`,
    );
    if (execution.status !== 'SUCCEEDED') process.stdout.write(`${execution.error}: ${execution.cause}\n`);
    process.exit(execution.status === 'SUCCEEDED' ? 0 : 1);
  }
  await new Promise((resolve) => setTimeout(resolve, 200));
}
