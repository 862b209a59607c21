/* eslint-disable @typescript-eslint/no-require-imports -- each activity module loads on its first call */
import type { ActivityFunction, AnyActivityFunction, InputOf, OutputOf } from './activityResult';

/**
 * Every activity of the app, in one table: its registered name (which is the name of its file and
 * of the function the file exports) and how its module is loaded. The module is `require`d on the
 * activity's first call, not at start-up, so that the app entry stays light (zod, the Azure SDK
 * wrappers, the pcap reader load only when used). The input and output types come from the module
 * itself (the input of its schema, the value of its result), so they cannot drift apart from what
 * the activity does: `callStep` and the registration are both typed by this table.
 */
export const ACTIVITIES = activityTable({
  loadRunSettings: () => require('./loadRunSettings') as typeof import('./loadRunSettings'),
  resolveTarget: () => require('./resolveTarget') as typeof import('./resolveTarget'),
  inspectCaptures: () => require('./inspectCaptures') as typeof import('./inspectCaptures'),
  createCapture: () => require('./createCapture') as typeof import('./createCapture'),
  getCaptureStatus: () => require('./getCaptureStatus') as typeof import('./getCaptureStatus'),
  stopCapture: () => require('./stopCapture') as typeof import('./stopCapture'),
  deleteCapture: () => require('./deleteCapture') as typeof import('./deleteCapture'),
  leaseCaptureSlot: () => require('./leaseCaptureSlot') as typeof import('./leaseCaptureSlot'),
  releaseCaptureSlot: () => require('./releaseCaptureSlot') as typeof import('./releaseCaptureSlot'),
  observeCaptureBlob: () => require('./observeCaptureBlob') as typeof import('./observeCaptureBlob'),
  verifyCaptureBlob: () => require('./verifyCaptureBlob') as typeof import('./verifyCaptureBlob'),
  notify: () => require('./notify') as typeof import('./notify'),
});

export type ActivityName = keyof typeof ACTIVITIES;

/** The activity registered as `N`: the function of that name in the module of that name. */
export type ActivityOf<N extends ActivityName> =
  ReturnType<(typeof ACTIVITIES)[N]> extends Record<N, infer F> ? F : never;

/** What the activity `N` accepts (the input of its schema). */
export type ActivityInput<N extends ActivityName> = InputOf<ActivityOf<N>>;

/** What the activity `N` returns when it succeeds. */
export type ActivityOutput<N extends ActivityName> = OutputOf<ActivityOf<N>>;

/** The activity `N`, its module loaded now. */
export function loadActivity<N extends ActivityName>(name: N): AnyActivityFunction {
  const module = ACTIVITIES[name]() as Record<N, AnyActivityFunction>;
  return module[name];
}

/**
 * Checks each row at compile time: the module must export, under the row's name, an activity
 * registered under that same name.
 */
function activityTable<
  T extends { [N in keyof T & string]: () => Record<N, ActivityFunction<unknown, unknown, N>> },
>(table: T): T {
  return table;
}
