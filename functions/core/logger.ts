import { Logger } from '@aws-lambda-powertools/logger';

/**
 * Structured JSON logs. Service name and level come from POWERTOOLS_SERVICE_NAME and
 * POWERTOOLS_LOG_LEVEL, which the stage config sets (never hard-coded here).
 */
export const logger = new Logger();
