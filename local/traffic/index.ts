export { syntheticTraffic, type SyntheticFrame, type SyntheticTrafficOptions } from './syntheticTraffic';
export { CaptureWriter, type CaptureWriterOptions, type WritableFrame } from './CaptureWriter';
export { buildFrame, TCP_FLAGS, type FrameSpec } from './frames';
export { SeededRandom } from './prng';
export { formatIp, parseIp } from './addresses';
export type { FlowInfo } from './sessions';
