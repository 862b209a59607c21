import { setTimeout as sleep } from 'node:timers/promises';
import { SeededRandom } from '../../../local/traffic';
import { SAMPLES } from '../../e2e/support/alerts';
import type { ActionGroup, Delivered } from './actionGroup';

/** One post of an alert: the first delivery or a duplicate of it. */
export interface PlannedPost {
  alert: number;
  vm: string;
  sample: (typeof SAMPLES)[number] | typeof RESOLVED_SAMPLE;
  /** Real milliseconds after the storm starts. */
  atMs: number;
  duplicate: boolean;
}

export interface StormPlan {
  posts: PlannedPost[];
  alerts: number;
  duplicates: number;
  /** VMs whose alert is resolved while their capture runs. */
  resolved: string[];
}

/** The Resolved delivery of the `network-out-fired` sample (same alert id). */
export const RESOLVED_SAMPLE = 'network-out-resolved';

/**
 * Which alert goes to which VM and when: every VM gets one alert, the rest land on VMs drawn at
 * random; schemas take turns; a share of alerts is delivered two or three times, the copies close
 * together (what an action group's retries and a second action group look like). The VMs in
 * `resolve` get their one alert only, a `network-out-fired`, and its Resolved delivery at
 * `resolveAtMs`, so that the run the resolution stops is surely the one that alert started.
 */
export function planStorm(options: {
  vms: readonly string[];
  alerts: number;
  duplicateShare: number;
  stormMs: number;
  seed: number;
  resolve: readonly string[];
  resolveAtMs: number;
}): StormPlan {
  const random = new SeededRandom(options.seed);
  const posts: PlannedPost[] = [];
  const resolve = new Set(options.resolve);
  const open = options.vms.filter((vm) => !resolve.has(vm));
  let duplicates = 0;
  for (let alert = 0; alert < options.alerts; alert++) {
    const vm = alert < options.vms.length ? options.vms[alert]! : random.pick(open);
    const sample = resolve.has(vm) ? SAMPLES[0] : SAMPLES[alert % SAMPLES.length]!;
    const atMs = random.int(0, options.stormMs);
    posts.push({ alert, vm, sample, atMs, duplicate: false });
    const copies = random.chance(options.duplicateShare) ? random.int(1, 2) : 0;
    for (let copy = 0; copy < copies; copy++) {
      posts.push({ alert, vm, sample, atMs: atMs + random.int(0, 250), duplicate: true });
      duplicates++;
    }
  }
  for (const vm of options.resolve) {
    posts.push({
      alert: options.alerts,
      vm,
      sample: RESOLVED_SAMPLE,
      atMs: options.resolveAtMs,
      duplicate: false,
    });
  }
  posts.sort((a, b) => a.atMs - b.atMs);
  return { posts, alerts: options.alerts, duplicates, resolved: [...options.resolve] };
}

/** Sends every post at its time through the action group; resolves with each post's outcome. */
export async function sendStorm(
  plan: StormPlan,
  actionGroup: ActionGroup,
  body: (post: PlannedPost) => unknown,
): Promise<{ post: PlannedPost; answer: Delivered }[]> {
  const started = Date.now();
  return Promise.all(
    plan.posts.map(async (post) => {
      await sleep(Math.max(0, post.atMs - (Date.now() - started)));
      return { post, answer: await actionGroup.deliver(body(post)) };
    }),
  );
}
