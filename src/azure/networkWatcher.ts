import { AppError } from '../errors/AppError';
import type { NetworkWatcherRef } from '../capture/target';
import { getArmClients } from './clients';
import { armCall } from './armErrors';
import { splitResourceId, splitTypedResourceId, sameLocation } from '../security/armResourceId';

export interface FindNetworkWatcherOptions {
  /** The VM's region: a watcher only captures VMs of its own region. */
  location: string;
  subscriptionId: string;
  /** A watcher fixed by a setting or the request, checked instead of searched. */
  pinnedId?: string;
}

/**
 * The Network Watcher that serves `location`: the pinned one (checked to exist and to be in that
 * region), else the subscription's watcher for that region, wherever its resource group is.
 */
export async function findNetworkWatcher({
  location,
  subscriptionId,
  pinnedId,
}: FindNetworkWatcherOptions): Promise<NetworkWatcherRef> {
  if (pinnedId) return readPinned(pinnedId, location);
  const clients = getArmClients(subscriptionId);
  const scope = `/subscriptions/${subscriptionId}`;
  let watchers;
  try {
    watchers = await armCall({ operation: 'list the Network Watchers', resourceId: scope }, async () => {
      const all = [];
      for await (const watcher of clients.network.networkWatchers.listAll()) all.push(watcher);
      return all;
    });
  } catch (error) {
    // A least-privilege role granted on NetworkWatcherRG only cannot list at subscription scope:
    // try the watcher Azure creates by default for the region before giving up.
    if (!(error instanceof AppError) || error.code !== 'ARM_FORBIDDEN') throw error;
    const conventional = `${scope}/resourceGroups/NetworkWatcherRG/providers/Microsoft.Network/networkWatchers/NetworkWatcher_${location.toLowerCase().replace(/\s+/g, '')}`;
    return readPinned(conventional, location).catch((fallbackError: unknown) => {
      // A throttled or failing fallback read says nothing about permissions: the retry must happen.
      throw fallbackError instanceof AppError && fallbackError.retriable ? fallbackError : error;
    });
  }
  const match = watchers.find((w) => sameLocation(w.location, location) && w.id);
  if (!match?.id) {
    throw new AppError(
      'NETWORK_WATCHER_NOT_FOUND',
      `No Network Watcher in region ${location} of subscription ${subscriptionId}. Enable Network Watcher for that region, or set NETWORK_WATCHER_ID.`,
      { details: { location, subscriptionId, found: watchers.map((w) => w.location) } },
    );
  }
  return toRef(match.id, location);
}

async function readPinned(pinnedId: string, location: string): Promise<NetworkWatcherRef> {
  const ref = splitTypedResourceId(pinnedId, 'Microsoft.Network', 'networkWatchers');
  const clients = getArmClients(ref.subscriptionId);
  const watcher = await armCall(
    {
      operation: 'read the Network Watcher',
      resourceId: pinnedId,
      notFound: {
        code: 'NETWORK_WATCHER_NOT_FOUND',
        message: `The pinned Network Watcher ${pinnedId} does not exist; fix NETWORK_WATCHER_ID or unset it`,
      },
    },
    () => clients.network.networkWatchers.get(ref.resourceGroup, ref.name),
  );
  if (!sameLocation(watcher.location, location)) {
    throw new AppError(
      'NETWORK_WATCHER_NOT_FOUND',
      `The pinned Network Watcher ${pinnedId} is in ${watcher.location ?? 'an unknown region'}, but the VM is in ${location}; a watcher only captures VMs of its own region. Unset NETWORK_WATCHER_ID or pin that region's watcher.`,
      { details: { pinnedId, watcherLocation: watcher.location, vmLocation: location } },
    );
  }
  return toRef(watcher.id ?? pinnedId, location);
}

function toRef(id: string, location: string): NetworkWatcherRef {
  const parsed = splitResourceId(id);
  return {
    id,
    name: parsed.name,
    resourceGroup: parsed.resourceGroup,
    subscriptionId: parsed.subscriptionId,
    location,
  };
}
