import { randomUUID } from 'node:crypto';
import { createServer, type Server } from 'node:http';
import type { AwsGateway, Delay } from './aws-gateway.ts';
import type { OpsNotice } from './events.ts';
import type { Fault, FunctionRunner } from './lambdas.ts';
import type { LocalStepFunctions, TimeoutOverride } from './stepfunctions.ts';
import type { LocalDescription } from './template.ts';

/**
 * The local stack's own control endpoint, for tests and demos — nothing like it exists in AWS,
 * which is why it lives on a port of its own rather than inside an emulated service's protocol:
 *   POST /faults          {entry, handler?, contains, when, times}  make invocations fail
 *   GET  /faults?contains=…                                          how many have not fired yet
 *   POST /task-timeouts   {state, seconds, match}                    shorten a waiting task's timeout
 *   GET  /reports?function=<logicalId>                               the latest invocation reports
 *   GET  /denials                                                    the latest calls IAM refused
 *   GET  /calls?principal=<prefix>&mentions=<text>                   the latest calls, items read
 *   POST /delays          {caller, operation, ms, times, fail?, contains?, ongoing?}  hold a function's DynamoDB, SES, Step Functions or Cognito calls (races), or fail them;
 *                         `ongoing`: a transaction held after it reached the table (its items conflict); `fail: 'TransactionConflict'`: DynamoDB's answer to one
 *   GET  /delays?contains=…                                          how many of those have not happened yet
 *   GET  /ops/notices                                                what the ops topic would have got
 *   GET  /metrics?name=<metric>                                      what CloudWatch made of EMF lines
 *   POST /sns/publish     {topic, message}                           deliver to a topic's subscribed functions
 *                         (`topic`: its logical id's start, e.g. `MailEvents`; how SES's bounces arrive)
 */
export function createControlServer(parts: {
  lambdas: FunctionRunner;
  stepFunctions: LocalStepFunctions;
  gateway: AwsGateway;
  notices: OpsNotice[];
  subscriptions: LocalDescription['topicSubscriptions'];
}): Server {
  return createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      const url = new URL(req.url ?? '/', 'http://local');
      const send = (status: number, body: unknown) =>
        res.writeHead(status, { 'content-type': 'application/json' }).end(JSON.stringify(body));
      let body: Record<string, unknown> = {};
      try {
        body = JSON.parse(Buffer.concat(chunks).toString() || '{}') as Record<string, unknown>;
      } catch {
        return send(400, { message: 'The body is not JSON' });
      }
      const route = `${req.method} ${url.pathname}`;
      switch (route) {
        case 'POST /faults':
          parts.lambdas.injectFault({ ...(body as unknown as Fault), times: Number(body.times ?? 1) });
          return send(200, {});
        case 'GET /faults':
          return send(200, { left: parts.lambdas.faultsLeft(url.searchParams.get('contains') ?? '') });
        case 'POST /task-timeouts':
          parts.stepFunctions.overrideTaskTimeout(body as unknown as TimeoutOverride);
          return send(200, {});
        case 'GET /reports': {
          const fn = url.searchParams.get('function');
          return send(200, { reports: parts.lambdas.reports.filter((r) => !fn || r.functionName === fn) });
        }
        case 'POST /delays':
          parts.gateway.delay({ ...(body as unknown as Delay), times: Number(body.times ?? 1) });
          return send(200, {});
        case 'GET /delays':
          return send(200, { left: parts.gateway.delaysLeft(url.searchParams.get('contains') ?? '') });
        case 'POST /sns/publish': {
          const topic = String(body.topic ?? '');
          const targets = parts.subscriptions.filter((s) => s.topicArn.split(':').at(-1)?.startsWith(topic));
          if (!topic || !targets.length) return send(404, { message: `No topic ${topic} with subscribers` });
          // SNS may invoke only a function whose resource policy lets it: otherwise delivery fails.
          const refused = targets.filter((t) => !t.permitted).map((t) => t.functionId);
          if (refused.length) return send(403, { message: `SNS may not invoke ${refused.join(', ')}` });
          const event = (t: (typeof targets)[number]) => ({
            Records: [
              {
                EventSource: 'aws:sns',
                EventVersion: '1.0',
                EventSubscriptionArn: `${t.topicArn}:${randomUUID()}`,
                Sns: {
                  Type: 'Notification',
                  MessageId: randomUUID(),
                  TopicArn: t.topicArn,
                  Message: typeof body.message === 'string' ? body.message : JSON.stringify(body.message),
                  Timestamp: new Date().toISOString(),
                },
              },
            ],
          });
          void Promise.all(targets.map((t) => parts.lambdas.invoke(t.functionId, event(t))))
            .then(() => send(200, { delivered: targets.map((t) => t.functionId) }))
            .catch((error: Error) => send(500, { message: error.message }));
          return;
        }
        case 'GET /metrics': {
          const name = url.searchParams.get('name');
          return send(200, { metrics: parts.lambdas.metrics.filter((m) => !name || m.name === name) });
        }
        case 'GET /ops/notices':
          return send(200, { notices: parts.notices });
        case 'GET /denials':
          return send(200, { denials: parts.gateway.denials });
        case 'GET /calls': {
          const principal = url.searchParams.get('principal') ?? '';
          const mentions = url.searchParams.get('mentions') ?? '';
          const calls = parts.gateway.calls.filter(
            (c) =>
              c.principal.startsWith(principal) &&
              (!mentions || JSON.stringify(c.request ?? {}).includes(mentions)),
          );
          return send(200, { calls });
        }
        default:
          return send(404, { message: `No control action ${route}` });
      }
    });
  });
}
