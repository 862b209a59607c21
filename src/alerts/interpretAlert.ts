import type { Config } from '../config';
import type { CaptureRequest } from '../capture/types';
import { AppError } from '../errors/AppError';
import { problemFromError } from '../http/problem';
import { AllowList } from '../security/allowList';
import type { AlertFacts } from './alertFacts';
import type { AlertDecision } from './decision';
import { captureInstanceId } from './instanceId';
import { validateCaptureOptions } from './options/captureOptions';
import { optionsFromCustomProperties } from './options/customPropertyOptions';
import { readAlertPayload } from './payloadKind';
import { checkPinnedResources } from './pinnedResources';
import { selectAlertTarget, type AlertTarget } from './alertTarget';

export type IntakeSettings = Pick<Config, 'ALLOWED_SCOPES' | 'CAPTURE_STORAGE_ACCOUNT_ID'>;

/**
 * Decides what a webhook body asks for, without I/O: start (or join) a capture on one allowed VM,
 * note a resolved alert, or refuse with a problem that names the offending field. Refusals are
 * 4xx so that Azure Monitor does not retry what a retry cannot fix.
 * @throws RangeError only when `config.ALLOWED_SCOPES` is malformed (settings are validated at start-up).
 */
export function interpretAlert(body: unknown, config: IntakeSettings): AlertDecision {
  const allowList = AllowList.parse(config.ALLOWED_SCOPES);
  try {
    const facts = readAlertPayload(body);
    const target = selectAlertTarget(facts.targets);
    const vm = target.id;
    if (!allowList.allows(vm)) {
      throw new AppError(
        'ALERT_TARGET_NOT_ALLOWED',
        `${target.field}: the virtual machine is outside the allowed scopes (ALLOWED_SCOPES); it will not be captured.`,
        { details: { field: target.field } },
      );
    }
    const instanceId = captureInstanceId(vm);
    if (facts.state === 'resolved') {
      return { kind: 'resolved', instanceId, vmId: vm.canonical, alert: facts.origin };
    }
    return { kind: 'capture', instanceId, request: captureRequest(facts, target, allowList, config) };
  } catch (error) {
    if (error instanceof AppError) return { kind: 'refused', problem: problemFromError(error) };
    throw error;
  }
}

function captureRequest(
  facts: AlertFacts,
  target: AlertTarget,
  allowList: AllowList,
  config: IntakeSettings,
): CaptureRequest {
  const fromProperties = optionsFromCustomProperties(facts.customProperties);
  const problems = [...fromProperties.problems];
  const pinned = checkPinnedResources(
    facts.pinned,
    { vm: target.id, allowList, captureStorageAccountId: config.CAPTURE_STORAGE_ACCOUNT_ID },
    problems,
  );
  const options = validateCaptureOptions(facts.bodyOptions ?? fromProperties.raw, problems);
  return { vmId: target.id.canonical, options, alert: facts.origin, ...pinned };
}
