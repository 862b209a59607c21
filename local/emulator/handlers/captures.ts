import { ArmError } from '../armError';
import { parseCaptureRequest } from '../captureRequest';
import { captureResultBody, captureStatusBody } from '../captureViews';
import type { ArmHandler, ArmRequest } from './armRequest';
import { lroHeaders } from './armRequest';

const CAPTURE_NAME = /^[A-Za-z0-9][A-Za-z0-9_.-]{0,78}[A-Za-z0-9_]$|^[A-Za-z0-9]$/;

const watcherOf = ({ ns, params }: ArmRequest) =>
  ns.inventory.watcher(
    params.subscriptionId as string,
    params.resourceGroupName as string,
    params.networkWatcherName as string,
  );

const captureOf = (request: ArmRequest) =>
  request.ns.captures.get(watcherOf(request), request.params.packetCaptureName as string);

export const createCapture: ArmHandler = (request) => {
  const { ns, params, body, apiVersion } = request;
  const watcher = watcherOf(request);
  const name = params.packetCaptureName as string;
  if (!CAPTURE_NAME.test(name)) {
    throw new ArmError(
      400,
      'InvalidResourceName',
      `Resource name ${name} is invalid: use 1-80 letters, digits, '_', '.', '-', starting with a letter or digit.`,
    );
  }
  const spec = parseCaptureRequest(body, {
    subscriptionId: watcher.subscriptionId,
    watcher,
    inventory: ns.inventory,
    hasStorageAccount: (account) => ns.uploader.has(account),
  });
  const capture = ns.captures.create(watcher, name, spec, { apiVersion });
  return {
    status: 201,
    body: captureResultBody(capture),
    headers: lroHeaders(request, capture.createOperation, 'status'),
  };
};

export const getCapture: ArmHandler = (request) => ({
  status: 200,
  body: captureResultBody(captureOf(request)),
});

export const listCaptures: ArmHandler = (request) => ({
  status: 200,
  body: { value: request.ns.captures.list(watcherOf(request)).map(captureResultBody) },
});

export const deleteCapture: ArmHandler = async (request) => {
  const watcher = watcherOf(request);
  const name = request.params.packetCaptureName as string;
  if (!request.ns.captures.list(watcher).some((c) => c.name.toLowerCase() === name.toLowerCase())) {
    return { status: 204 };
  }
  const op = await request.ns.captures.delete(request.ns.captures.get(watcher, name), {
    apiVersion: request.apiVersion,
  });
  return { status: 202, headers: lroHeaders(request, op, 'result') };
};

export const stopCapture: ArmHandler = async (request) => {
  const capture = captureOf(request);
  await request.ns.captures.stop(capture, 'Manual');
  const op = request.ns.operations.start(
    {
      provider: 'Microsoft.Network',
      subscriptionId: capture.watcher.subscriptionId,
      location: capture.watcher.location,
      apiVersion: request.apiVersion,
      result: () => ({ status: 200 }),
    },
    request.ns.settings.lroDelayMs,
  );
  return { status: 202, headers: lroHeaders(request, op, 'result') };
};

export const queryStatus: ArmHandler = (request) => {
  const capture = captureOf(request);
  const op = request.ns.operations.start(
    {
      provider: 'Microsoft.Network',
      subscriptionId: capture.watcher.subscriptionId,
      location: capture.watcher.location,
      apiVersion: request.apiVersion,
      result: () => ({ status: 200, body: captureStatusBody(capture) }),
    },
    request.ns.settings.lroDelayMs,
  );
  return { status: 202, headers: lroHeaders(request, op, 'result') };
};
