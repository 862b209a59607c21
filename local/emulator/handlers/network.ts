import { nicBody, watcherBody } from '../armViews';
import type { ArmHandler } from './armRequest';

export const listWatchers: ArmHandler = ({ ns, params }) => ({
  status: 200,
  body: {
    value: ns.inventory
      .listWatchers(params.subscriptionId as string, params.resourceGroupName)
      .map(watcherBody),
  },
});

export const getWatcher: ArmHandler = ({ ns, params }) => ({
  status: 200,
  body: watcherBody(
    ns.inventory.watcher(
      params.subscriptionId as string,
      params.resourceGroupName as string,
      params.networkWatcherName as string,
    ),
  ),
});

export const getNic: ArmHandler = ({ ns, params }) => ({
  status: 200,
  body: nicBody(
    ns.inventory.nicOwner(
      params.subscriptionId as string,
      params.resourceGroupName as string,
      params.networkInterfaceName as string,
    ),
  ),
});
