/**
 * How a dynamic scheduling plugin's failed or malformed call becomes a cycle error: named
 * after the plugin, with the failure policy applied. Shared by the v1 and v1beta1 adapters.
 */
import { ErrorCodes, PlugdError, PluginCallError } from '../errors.js';
import type { FailurePolicy } from '../interfaces.js';

/** Any failure of a scheduling plugin's call as a PlugdError naming the plugin and, for call failures, the policy applied. */
export function namedFailure(plugin: string, method: string, policy: FailurePolicy, err: unknown): PlugdError {
  if (err instanceof PluginCallError) {
    return new PlugdError(err.code, `${err.message} (failurePolicy ${err.policy ?? policy})`, { plugin, cause: err });
  }
  if (err instanceof PlugdError) return err;
  return new PlugdError(ErrorCodes.CALL_FAILED, `plugin ${plugin}: ${method}: ${err instanceof Error ? err.message : String(err)}`, { plugin, cause: err });
}

/** A malformed answer is a failed call (scheduling.proto): Ignore → `ignored()`, Fail → throws naming plugin and policy. */
export function malformedAnswer<T>(plugin: string, method: string, policy: FailurePolicy, what: string, ignored: () => T): T {
  if (policy === 'Ignore') return ignored();
  throw new PlugdError(ErrorCodes.CALL_FAILED, `plugin ${plugin}: ${method}: malformed answer: ${what} (failurePolicy ${policy})`, { plugin });
}
