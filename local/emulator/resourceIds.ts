/** Canonical ARM resource ids of the emulated resources, and the parsing of ids given by callers. */

export const vmResourceId = (sub: string, rg: string, name: string) =>
  `/subscriptions/${sub}/resourceGroups/${rg}/providers/Microsoft.Compute/virtualMachines/${name}`;

export const nicResourceId = (sub: string, rg: string, name: string) =>
  `/subscriptions/${sub}/resourceGroups/${rg}/providers/Microsoft.Network/networkInterfaces/${name}`;

export const watcherResourceId = (sub: string, rg: string, name: string) =>
  `/subscriptions/${sub}/resourceGroups/${rg}/providers/Microsoft.Network/networkWatchers/${name}`;

export const storageAccountResourceId = (sub: string, rg: string, name: string) =>
  `/subscriptions/${sub}/resourceGroups/${rg}/providers/Microsoft.Storage/storageAccounts/${name}`;

export interface ParsedId {
  subscriptionId: string;
  resourceGroup: string;
  name: string;
}

function parser(provider: string, type: string): (id: string) => ParsedId | undefined {
  const pattern = new RegExp(
    `^/subscriptions/([^/]+)/resourceGroups/([^/]+)/providers/${provider}/${type}/([^/]+)$`,
    'i',
  );
  return (id) => {
    const match = pattern.exec(id.trim());
    return match
      ? { subscriptionId: match[1] as string, resourceGroup: match[2] as string, name: match[3] as string }
      : undefined;
  };
}

export const parseVmId = parser('Microsoft\\.Compute', 'virtualMachines');
export const parseStorageAccountId = parser('Microsoft\\.Storage', 'storageAccounts');
