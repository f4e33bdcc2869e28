import type { APIGatewayProxyStructuredResultV2 } from 'aws-lambda';
import { HttpError } from './errors.ts';

/** RFC 9457 problem details, as every error response of the API carries them. */
export interface Problem {
  type: string;
  title: string;
  status: number;
  detail: string;
  [extension: string]: unknown;
}

export const PROBLEM_CONTENT_TYPE = 'application/problem+json';

/** Errors thrown by middy middlewares carry `statusCode` and `expose` but are not ours. */
interface StatusError {
  statusCode: number;
  expose?: boolean;
  message: string;
}

const isStatusError = (error: unknown): error is StatusError =>
  typeof error === 'object' &&
  error !== null &&
  typeof (error as StatusError).statusCode === 'number' &&
  typeof (error as StatusError).message === 'string';

/**
 * The one place where an error becomes a response. Anything that is not a known client
 * error is a 500 whose body says nothing about internals.
 */
export function toProblem(error: unknown, instance?: string): Problem {
  if (error instanceof HttpError) {
    return {
      type: `/problems/${error.slug}`,
      title: error.title,
      status: error.statusCode,
      detail: error.message,
      ...(instance ? { instance } : {}),
      ...error.extensions(),
    };
  }
  if (isStatusError(error) && error.statusCode < 500 && error.expose !== false) {
    return {
      type: 'about:blank',
      title: error.message,
      status: error.statusCode,
      detail: error.message,
      ...(instance ? { instance } : {}),
    };
  }
  return {
    type: '/problems/internal',
    title: 'Internal error',
    status: 500,
    detail: 'Something went wrong on our side. It has been logged.',
    ...(instance ? { instance } : {}),
  };
}

export function problemResponse(problem: Problem): APIGatewayProxyStructuredResultV2 {
  return {
    statusCode: problem.status,
    headers: {
      'content-type': PROBLEM_CONTENT_TYPE,
      ...(typeof problem.retryAfterSeconds === 'number'
        ? { 'retry-after': String(problem.retryAfterSeconds) }
        : {}),
    },
    body: JSON.stringify(problem),
  };
}
