/**
 * An ARM error answer: `{ error: { code, message } }` with its HTTP status, as Azure Resource Manager
 * and the resource providers send it. Handlers throw it; the server turns it into the response.
 */
export class ArmError extends Error {
  override name = 'ArmError';

  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly headers: Record<string, string> = {},
  ) {
    super(message);
  }

  body(): { error: { code: string; message: string } } {
    return { error: { code: this.code, message: this.message } };
  }
}

export const badRequest = (message: string, code = 'InvalidRequestFormat') =>
  new ArmError(400, code, message);

export const resourceNotFound = (type: string, name: string, resourceGroup: string) =>
  new ArmError(
    404,
    'ResourceNotFound',
    `The Resource '${type}/${name}' under resource group '${resourceGroup}' was not found.`,
  );
