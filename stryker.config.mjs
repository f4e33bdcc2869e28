/**
 * npm run test:mutation — see docs/testing.md.
 *
 * The functions run in the test worker (vitest.mutation.config.ts) so that a mutant can be
 * switched on; only the domain and the workflow steps are mutated. Static mutants
 * (module-level definitions, which only a whole reload can switch) are ignored: they were 28 %
 * of the mutants and 89 % of the time.
 *
 * A whole run takes most of a day on 2 cores, so it is also run in parts:
 * `MUTATION_PART=services-orders npm run test:mutation`. Each part keeps its own incremental
 * file (a rerun tests only what changed, and an interrupted part resumes where it stopped) and
 * its own report; `npm run test:mutation:summary` adds the parts up (test/mutation/summary.ts).
 */

/**
 * Issue 10's scope — services, repositories and entities — in eight parts, each a run of one to
 * a few hours here (the order service's mutants each run most of the billing tests).
 */
export const PARTS = {
  'services-orders': [
    'functions/core/services/orders.ts',
    'functions/core/services/members.ts',
    'functions/core/services/order-request.ts',
    'functions/core/services/organizations.ts',
  ],
  'services-billing': [
    'functions/core/services/billing.ts',
    'functions/core/services/payments.ts',
    'functions/core/services/invoices.ts',
    'functions/core/services/invoicing.ts',
    'functions/core/services/invoice-documents.ts',
    'functions/core/services/invoice-history.ts',
    'functions/core/services/renewals.ts',
    'functions/core/services/renewal-release.ts',
  ],
  'services-products': [
    'functions/core/services/products.ts',
    'functions/core/services/reminders.ts',
    'functions/core/services/lifecycle.ts',
    'functions/core/services/deletion.ts',
    'functions/core/services/deletion-requirements.ts',
    'functions/core/services/audit-log.ts',
  ],
  'services-accounts': [
    'functions/core/services/invitations.ts',
    'functions/core/services/invitation-mail.ts',
    'functions/core/services/invitation-lookup.ts',
    'functions/core/services/me.ts',
    'functions/core/services/password-reset*.ts',
    'functions/core/services/recovery-email*.ts',
    'functions/core/services/logo*.ts',
  ],
  'repositories-accounts': [
    'functions/core/repositories/table.ts',
    'functions/core/repositories/organizations.ts',
    'functions/core/repositories/users.ts',
    'functions/core/repositories/invitations.ts',
  ],
  'repositories-billing': [
    'functions/core/repositories/orders.ts',
    'functions/core/repositories/billing.ts',
    'functions/core/repositories/payments.ts',
    'functions/core/repositories/invoices.ts',
    'functions/core/repositories/idempotency.ts',
    'functions/core/repositories/counters.ts',
    'functions/core/repositories/balance.ts',
    'functions/core/repositories/limits.ts',
    'functions/core/repositories/renewals.ts',
    'functions/core/repositories/renewal-release.ts',
  ],
  'repositories-products': [
    'functions/core/repositories/products.ts',
    'functions/core/repositories/reminders.ts',
    'functions/core/repositories/lifecycle.ts',
    'functions/core/repositories/deletions.ts',
    'functions/core/repositories/documents.ts',
    'functions/core/repositories/document-urls.ts',
    'functions/core/repositories/suppressions.ts',
    'functions/core/repositories/audit.ts',
    'functions/core/repositories/email-markers.ts',
  ],
  entities: ['functions/core/entities/*.ts'],
};

const ALL = [
  'functions/core/**/*.ts',
  'workflows/**/steps/*.ts',
  'workflows/task.ts',
  '!functions/core/mail/templates.ts',
];

const part = process.env.MUTATION_PART;
if (part !== undefined && !(part in PARTS)) {
  throw new Error(`MUTATION_PART must be one of: ${Object.keys(PARTS).join(', ')}`);
}
const name = part ?? 'all';

export default {
  $schema: './node_modules/@stryker-mutator/core/schema/stryker-schema.json',
  testRunner: 'vitest',
  vitest: { configFile: 'vitest.mutation.config.ts', related: false },
  plugins: ['@stryker-mutator/vitest-runner', './test/mutation/logger-ignorer.mjs'],
  // Log lines are left out of the score, listed apart (test/mutation/logger-ignorer.mjs).
  ignorers: ['logger-calls'],
  mutate: part ? PARTS[part] : ALL,
  coverageAnalysis: 'perTest',
  incremental: true,
  // Committed, so that a run carried over several sessions (or machines) resumes: see docs/testing.md.
  incrementalFile: `test/mutation/${name}-incremental.json`,
  concurrency: 1,
  timeoutMS: 30000,
  // The first, whole-suite run takes about 3 minutes here; the default 5 is too short on a busy machine.
  dryRunTimeoutMinutes: 15,
  timeoutFactor: 2,
  reporters: ['clear-text', 'progress', 'html', 'json'],
  htmlReporter: { fileName: `reports/mutation/${name}.html` },
  jsonReporter: { fileName: `reports/mutation/${name}.json` },
  ignorePatterns: ['cdk.out', '.local', 'bench/.bundles', 'reports', 'test/mutation', 'node_modules/.cache'],
  tempDirName: '.stryker-tmp',
  cleanTempDir: 'always',
  ignoreStatic: true,
};
