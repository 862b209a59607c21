/**
 * TCP flag counts and the plain signs an on-call engineer looks for: connection attempts left
 * unanswered (scans, a dead backend, a firewall dropping) and bursts of resets (a service refusing
 * or killing connections).
 */
const FIN = 0x01;
const SYN = 0x02;
const RST = 0x04;
const ACK = 0x10;

export interface TcpSummary {
  packets: number;
  /** SYN without ACK: connection attempts, retransmissions included. */
  syn: number;
  synAck: number;
  rst: number;
  fin: number;
  /**
   * Share of SYNs no SYN-ACK in the capture matches, by count: (syn - synAck) / syn, 0..1. High values
   * mean unanswered attempts (retransmitted SYNs count each time).
   */
  synWithoutAnswerRatio: number;
  rstBursts: {
    /** A second with at least this many RST segments is a burst. */
    threshold: number;
    seconds: number;
    peakPerSecond: number;
    peakAt: string | null;
  };
}

export class TcpSigns {
  private packets = 0;
  private syn = 0;
  private synAck = 0;
  private rst = 0;
  private fin = 0;
  private second = NaN;
  private rstThisSecond = 0;
  private burstSeconds = 0;
  private peakRst = 0;
  private peakSecond = NaN;

  constructor(readonly rstBurstThreshold: number) {
    if (!Number.isInteger(rstBurstThreshold) || rstBurstThreshold < 1) {
      throw new RangeError(`rstBurstThreshold must be an integer >= 1, got ${rstBurstThreshold}`);
    }
  }

  /** `seconds` is the packet's whole second, NaN when the packet has no timestamp. */
  add(flags: number, seconds: number): void {
    this.packets++;
    if (flags & SYN) {
      if (flags & ACK) this.synAck++;
      else this.syn++;
    }
    if (flags & FIN) this.fin++;
    if (flags & RST) {
      this.rst++;
      if (Number.isNaN(seconds)) return;
      if (seconds !== this.second) this.closeSecond(seconds);
      this.rstThisSecond++;
    }
  }

  summary(format: (seconds: number) => string): TcpSummary {
    this.closeSecond(NaN);
    return {
      packets: this.packets,
      syn: this.syn,
      synAck: this.synAck,
      rst: this.rst,
      fin: this.fin,
      synWithoutAnswerRatio: this.syn === 0 ? 0 : Math.max(0, this.syn - this.synAck) / this.syn,
      rstBursts: {
        threshold: this.rstBurstThreshold,
        seconds: this.burstSeconds,
        peakPerSecond: this.peakRst,
        peakAt: Number.isNaN(this.peakSecond) ? null : format(this.peakSecond),
      },
    };
  }

  private closeSecond(next: number): void {
    if (this.rstThisSecond >= this.rstBurstThreshold) this.burstSeconds++;
    if (this.rstThisSecond > this.peakRst) {
      this.peakRst = this.rstThisSecond;
      this.peakSecond = this.second;
    }
    this.second = next;
    this.rstThisSecond = 0;
  }
}
