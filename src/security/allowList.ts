import { asciiLower, parseArmScope, type ArmResourceId, type ArmScope } from './armResourceId';

/**
 * The subscriptions and resource groups whose resources this app may act on. A resource is inside
 * a scope when its subscription matches and, for a resource-group scope, its resource group matches;
 * both compared without ASCII case. Ids reach this check only after strict parsing, so there is no
 * string prefix to trick.
 */
export class AllowList {
  readonly scopes: readonly ArmScope[];

  private constructor(scopes: ArmScope[]) {
    this.scopes = scopes;
  }

  /** @throws RangeError naming the first scope that is not a subscription or resource group id. */
  static parse(scopes: readonly string[]): AllowList {
    if (scopes.length === 0) throw new RangeError('the allow-list needs at least one scope');
    return new AllowList(
      scopes.map((text) => {
        const parsed = parseArmScope(text);
        if (!parsed.ok) throw new RangeError(`allow-list scope "${text}" is invalid: ${parsed.reason}`);
        return parsed.value;
      }),
    );
  }

  allows(id: Pick<ArmResourceId, 'subscriptionId' | 'resourceGroup'>): boolean {
    const subscriptionId = asciiLower(id.subscriptionId);
    const resourceGroup = asciiLower(id.resourceGroup);
    return this.scopes.some(
      (scope) =>
        scope.subscriptionId === subscriptionId &&
        (scope.resourceGroup === undefined || asciiLower(scope.resourceGroup) === resourceGroup),
    );
  }
}
