/**
 * A StrykerJS ignorer (stryker.config.mjs): the mutants inside a call of the logger
 * (`logger.info|warn|error|debug(…)`) are left out, with this reason. A log line is read by
 * people, not by code, an alarm or a client: no metric filter or alarm reads the logs (the
 * alarms read metrics, which stay mutated). Weakening one weakens no rule, which is what the
 * mutation score measures (issue 10). The summary lists them apart from the equivalent mutants.
 */
import { declareClassPlugin, PluginKind } from '@stryker-mutator/api/plugin';

export const LOG_LINE = 'a log line: read by people, not by code, an alarm or a client';
const LEVELS = new Set(['debug', 'info', 'warn', 'error']);

class LoggerCalls {
  /** @param {import('@babel/core').NodePath} path */
  shouldIgnore(path) {
    // The call, and a statement that is only the call (removing it is a mutant of its own).
    const call = path.isExpressionStatement() ? path.node.expression : path.node;
    if (call.type !== 'CallExpression') return undefined;
    const callee = call.callee;
    return callee.type === 'MemberExpression' &&
      callee.object.type === 'Identifier' &&
      callee.object.name === 'logger' &&
      callee.property.type === 'Identifier' &&
      LEVELS.has(callee.property.name)
      ? LOG_LINE
      : undefined;
  }
}

export const strykerPlugins = [declareClassPlugin(PluginKind.Ignore, 'logger-calls', LoggerCalls)];
