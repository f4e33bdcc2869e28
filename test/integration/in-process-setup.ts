import { afterAll, inject } from 'vitest';
import { startInProcessFront } from '../../infra/local/in-process.ts';
import { useLocal } from './local-info.ts';

/**
 * Mutation runs only (vitest.mutation.config.ts): the functions of the test file's requests run
 * in this worker, where StrykerJS activates a mutant and records what each test reached. The
 * emulators are the ones the global setup started.
 */
const front = await startInProcessFront(inject('local'));
useLocal(front.info);
afterAll(() => front.stop());
