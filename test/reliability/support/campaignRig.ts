import { randomBytes } from 'node:crypto';
import { inject } from 'vitest';
import { CampaignHost } from './campaignHost';
import type { CampaignSize } from './campaignSize';
import { EmulatorLedger } from './emulatorLedger';
import { startFaultyProxy, type FaultyProxy } from './faultyProxy';
import { flakyControlPlane } from './faultWeather';
import { LogCapture } from './logCapture';
import { startNotifyReceiver, type NotifyReceiver } from './notifyReceiver';
import { RunObserver } from './runObserver';

export interface RigOptions {
  size: CampaignSize;
  seed: number;
  vms: readonly string[];
  /** The receiver refuses this VM's notifications. */
  unreachedVm: string;
  /** This VM's agent stops in the middle of each of its captures. */
  agentStopsVm: string;
  /** This VM's captures upload an empty file. */
  emptyFileVm: string;
}

/**
 * Everything the fault campaign runs against and watches with: the app on the dev host with its
 * settings, the VMs and the fault rules in the emulator, a faulty proxy in front of the app's blob
 * storage, the notification receiver, the emulator ledger, the run observer and the log capture
 * (on from the start, so that the host's own start-up lines are scanned too).
 */
export class CampaignRig {
  readonly logs = new LogCapture();
  readonly notifySecret = randomBytes(24).toString('base64url');
  readonly vmIds = new Map<string, string>();
  app!: CampaignHost;
  proxy!: FaultyProxy;
  receiver!: NotifyReceiver;
  ledger!: EmulatorLedger;
  observer!: RunObserver;

  private constructor(private readonly options: RigOptions) {}

  static async start(options: RigOptions): Promise<CampaignRig> {
    const rig = new CampaignRig(options);
    await rig.setUp();
    return rig;
  }

  async stop(): Promise<void> {
    this.logs.stop();
    await this.app?.stop();
    await this.proxy?.close();
    await this.receiver?.close();
  }

  private async setUp(): Promise<void> {
    const { size, seed, vms } = this.options;
    this.logs.start();
    const azurite = inject('offlineStack').azurite;
    this.proxy = await startFaultyProxy({
      target: new URL(azurite.blobEndpoint).origin,
      rate: size.faultRate,
      seed,
    });
    this.receiver = await startNotifyReceiver({
      faultRate: size.faultRate,
      seed,
      secret: this.notifySecret,
      refuseVms: new Set([this.options.unreachedVm]),
    });
    this.app = await CampaignHost.start({
      label: 'reliability',
      namespaceSettings: { seed, packetsPerSecond: 20 },
      settings: (stack) => ({
        // The app's blob reads and writes go through the faulty proxy; Network Watcher's uploads do not.
        CAPTURE_STORAGE_CONNECTION: stack.azurite.connectionString.replace(
          stack.azurite.blobEndpoint,
          `${this.proxy.url}${new URL(stack.azurite.blobEndpoint).pathname}`,
        ),
        NOTIFY_WEBHOOK_URL: this.receiver.url,
        NOTIFY_WEBHOOK_SECRET: this.notifySecret,
        CAPTURE_CHECK_INTERVAL_SECONDS: '30',
        // Fewer slots than VMs: the last runs wait for the first captures to end.
        CAPTURE_SESSION_LIMIT: String(size.sessionLimit),
        CAPTURE_SLOT_WAIT_SECONDS: '3600',
        RESOLVED_ALERT_ACTION: 'stop',
      }),
      log: this.logs.sink,
    });
    const added = await this.app.stack.admin.upsertVms(
      vms.map((name, i) => ({
        name,
        resourceGroup: 'rg-storm',
        location: 'westeurope',
        privateIps: [`10.20.${Math.floor(i / 200)}.${(i % 200) + 4}`],
        packetsPerSecond: 20,
      })),
    );
    for (const { name, id } of added) this.vmIds.set(name, id);
    await this.app.stack.admin.addFaults({
      ...flakyControlPlane({
        rate: size.faultRate,
        uploadFailureRate: size.faultRate / 2,
        timeouts: size.timeouts,
      }),
      capture: [
        { kind: 'agentStopped', vm: this.options.agentStopsVm, afterSeconds: 60 },
        { kind: 'emptyFile', vm: this.options.emptyFileVm },
      ],
    });
    this.ledger = new EmulatorLedger(this.app.stack.admin);
    this.observer = new RunObserver(() => this.app.up?.engine);
  }
}
